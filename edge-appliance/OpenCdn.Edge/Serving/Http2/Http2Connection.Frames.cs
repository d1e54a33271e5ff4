using System.Buffers.Binary;

namespace OpenCdn.Edge.Serving.Http2;

/// <summary>The receiving half: every frame the client may send, checked as RFC 9113 §6 asks, and the control frames sent back.</summary>
internal sealed partial class Http2Connection
{
    private long _sendWindow = Http2Frame.DefaultWindow;
    private int _streamWindow = Http2Frame.DefaultWindow;
    private int _maxFrame = Http2Frame.MaxFrameSize;
    private int _received;

    private Http2Error? HandleFrame(byte type, byte flags, int stream, ReadOnlySpan<byte> payload)
    {
        if ((_blockStream != 0 && type != Http2Frame.Continuation) || (!_settingsSeen && type != Http2Frame.Settings))
        {
            return Http2Error.ProtocolError; // a header block is one piece; the client's preface ends with SETTINGS
        }
        return type switch
        {
            Http2Frame.Data => OnData(flags, stream, payload),
            Http2Frame.Headers => OnHeaders(flags, stream, payload),
            Http2Frame.Continuation => OnContinuation(flags, stream, payload),
            Http2Frame.Priority => stream == 0 ? Http2Error.ProtocolError
                : payload.Length != 5 ? ResetStream(stream, Http2Error.FrameSizeError) : null,
            Http2Frame.RstStream => OnRstStream(stream, payload),
            Http2Frame.Settings => OnSettings(flags, stream, payload),
            Http2Frame.Ping => OnPing(flags, stream, payload),
            Http2Frame.GoAway => stream == 0 ? null : Http2Error.ProtocolError,
            Http2Frame.WindowUpdate => OnWindowUpdate(stream, payload),
            Http2Frame.PushPromise => Http2Error.ProtocolError, // a client never pushes
            _ => null, // unknown types are ignored (RFC 9113 §5.5)
        };
    }

    private Http2Error? OnData(byte flags, int stream, ReadOnlySpan<byte> payload)
    {
        if (stream == 0 || stream > _lastStreamId)
        {
            return Http2Error.ProtocolError;
        }
        // No route reads a body: the bytes are dropped, and the connection's window is given back as they come.
        _received += payload.Length; // padding counts too
        if (_received >= Http2Frame.DefaultWindow / 2)
        {
            WriteWord(Http2Frame.WindowUpdate, 0, (uint)_received);
            _received = 0;
        }
        if ((flags & Http2Frame.EndStream) != 0 && Find(stream) is { } open)
        {
            open.ClientEnded = true;
        }
        return null;
    }

    private Http2Error? OnRstStream(int stream, ReadOnlySpan<byte> payload)
    {
        if (stream == 0 || stream > _lastStreamId)
        {
            return Http2Error.ProtocolError;
        }
        if (payload.Length != 4)
        {
            return Http2Error.FrameSizeError;
        }
        if (Find(stream) is { } open)
        {
            Remove(open);
        }
        return null;
    }

    private Http2Error? OnSettings(byte flags, int stream, ReadOnlySpan<byte> payload)
    {
        if (stream != 0)
        {
            return Http2Error.ProtocolError;
        }
        if ((flags & Http2Frame.Ack) != 0)
        {
            return payload.IsEmpty ? null : Http2Error.FrameSizeError;
        }
        if (payload.Length % 6 != 0)
        {
            return Http2Error.FrameSizeError;
        }
        for (; !payload.IsEmpty; payload = payload[6..])
        {
            var value = BinaryPrimitives.ReadUInt32BigEndian(payload[2..]);
            switch (BinaryPrimitives.ReadUInt16BigEndian(payload))
            {
                case Http2Frame.SettingEnablePush when value > 1:
                    return Http2Error.ProtocolError;
                case Http2Frame.SettingMaxFrameSize when value is < Http2Frame.MaxFrameSize or > 16_777_215:
                    return Http2Error.ProtocolError;
                case Http2Frame.SettingMaxFrameSize:
                    _maxFrame = (int)value;
                    break;
                case Http2Frame.SettingInitialWindowSize when value > Http2Frame.MaxWindow:
                    return Http2Error.FlowControlError;
                case Http2Frame.SettingInitialWindowSize:
                    var delta = (int)value - _streamWindow;
                    _streamWindow = (int)value;
                    foreach (var open in _streams)
                    {
                        open.Window += delta;
                        if (open.Window > Http2Frame.MaxWindow)
                        {
                            return Http2Error.FlowControlError;
                        }
                    }
                    break;
            }
        }
        _settingsSeen = true;
        Span<byte> ack = stackalloc byte[Http2Frame.HeaderBytes];
        Http2Frame.WriteHeader(ack, 0, Http2Frame.Settings, Http2Frame.Ack, 0);
        return Write(ack);
    }

    private Http2Error? OnPing(byte flags, int stream, ReadOnlySpan<byte> payload)
    {
        if (stream != 0)
        {
            return Http2Error.ProtocolError;
        }
        if (payload.Length != 8)
        {
            return Http2Error.FrameSizeError;
        }
        if ((flags & Http2Frame.Ack) != 0)
        {
            return null;
        }
        Span<byte> pong = stackalloc byte[Http2Frame.HeaderBytes + 8];
        Http2Frame.WriteHeader(pong, 8, Http2Frame.Ping, Http2Frame.Ack, 0);
        payload.CopyTo(pong[Http2Frame.HeaderBytes..]);
        return Write(pong);
    }

    private Http2Error? OnWindowUpdate(int stream, ReadOnlySpan<byte> payload)
    {
        if (payload.Length != 4)
        {
            return Http2Error.FrameSizeError;
        }
        var increment = BinaryPrimitives.ReadUInt32BigEndian(payload) & int.MaxValue;
        if (stream == 0)
        {
            _sendWindow += increment;
            return increment == 0 ? Http2Error.ProtocolError : _sendWindow > Http2Frame.MaxWindow ? Http2Error.FlowControlError : null;
        }
        if (stream > _lastStreamId)
        {
            return Http2Error.ProtocolError;
        }
        if (Find(stream) is not { } open)
        {
            return null; // a stream that already ended
        }
        open.Window += increment;
        return increment == 0 ? ResetStream(stream, Http2Error.ProtocolError)
            : open.Window > Http2Frame.MaxWindow ? ResetStream(stream, Http2Error.FlowControlError) : null;
    }

    private Http2Stream? Find(int id)
    {
        foreach (var stream in _streams)
        {
            if (stream.Id == id)
            {
                return stream;
            }
        }
        return null;
    }

    private void Remove(Http2Stream stream)
    {
        _streams.Remove(stream);
        stream.Release();
    }

    /// <summary>A stream error: the stream is reset (and forgotten), the connection goes on.</summary>
    private Http2Error? ResetStream(int id, Http2Error error)
    {
        if (Find(id) is { } open)
        {
            Remove(open);
        }
        return WriteWord(Http2Frame.RstStream, id, (uint)error);
    }

    private void WriteSettings()
    {
        Span<byte> settings = stackalloc byte[Http2Frame.HeaderBytes + 12];
        Http2Frame.WriteHeader(settings, 12, Http2Frame.Settings, 0, 0);
        BinaryPrimitives.WriteUInt16BigEndian(settings[9..], Http2Frame.SettingMaxConcurrentStreams);
        BinaryPrimitives.WriteUInt32BigEndian(settings[11..], (uint)shared.MaxStreams);
        BinaryPrimitives.WriteUInt16BigEndian(settings[15..], Http2Frame.SettingMaxHeaderListSize);
        BinaryPrimitives.WriteUInt32BigEndian(settings[17..], Http2RequestHead.MaxBytes);
        Write(settings);
    }

    /// <summary>GOAWAY with the last stream the edge took; false when it could not be written.</summary>
    private bool WriteGoAway(Http2Error error)
    {
        _goingAway = true;
        Span<byte> frame = stackalloc byte[Http2Frame.HeaderBytes + 8];
        Http2Frame.WriteHeader(frame, 8, Http2Frame.GoAway, 0, 0);
        BinaryPrimitives.WriteInt32BigEndian(frame[9..], _lastStreamId);
        BinaryPrimitives.WriteUInt32BigEndian(frame[13..], (uint)error);
        return Write(frame) is null;
    }

    private Http2Error? WriteWord(byte type, int stream, uint value)
    {
        Span<byte> frame = stackalloc byte[Http2Frame.HeaderBytes + 4];
        Http2Frame.WriteWord(frame, type, stream, value);
        return Write(frame);
    }

    /// <summary>Encrypts and sends (or queues) frames; <see cref="Http2Error.Cancel"/> when the connection failed.</summary>
    private Http2Error? Write(ReadOnlySpan<byte> frames) => session.Write(frames) ? null : Http2Error.Cancel;
}
