using System.Buffers.Binary;

namespace OpenCdn.Edge.Serving.Http2;

/// <summary>HTTP/2 frame types, flags and error codes (RFC 9113 §6, §7), and the 9-byte frame header.</summary>
internal static class Http2Frame
{
    public const int HeaderBytes = 9;

    /// <summary>SETTINGS_MAX_FRAME_SIZE the edge keeps (the default): no frame it receives is longer.</summary>
    public const int MaxFrameSize = 16 * 1024;

    public const int DefaultWindow = 65_535;
    public const int MaxWindow = int.MaxValue;

    public const byte Data = 0, Headers = 1, Priority = 2, RstStream = 3, Settings = 4, PushPromise = 5, Ping = 6, GoAway = 7,
        WindowUpdate = 8, Continuation = 9;

    public const byte EndStream = 0x1, Ack = 0x1, EndHeaders = 0x4, Padded = 0x8, PriorityFlag = 0x20;

    public const ushort SettingEnablePush = 2, SettingMaxConcurrentStreams = 3,
        SettingInitialWindowSize = 4, SettingMaxFrameSize = 5, SettingMaxHeaderListSize = 6;

    public static void WriteHeader(Span<byte> into, int length, byte type, byte flags, int stream)
    {
        into[0] = (byte)(length >> 16);
        into[1] = (byte)(length >> 8);
        into[2] = (byte)length;
        into[3] = type;
        into[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(into[5..], stream & int.MaxValue);
    }

    /// <summary>A frame of one 32-bit value: RST_STREAM (an error code) or WINDOW_UPDATE (an increment).</summary>
    public static void WriteWord(Span<byte> into, byte type, int stream, uint value)
    {
        WriteHeader(into, 4, type, 0, stream);
        BinaryPrimitives.WriteUInt32BigEndian(into[HeaderBytes..], value);
    }
}

/// <summary>RFC 9113 §7 error codes.</summary>
internal enum Http2Error : uint
{
    NoError = 0x0,
    ProtocolError = 0x1,
    InternalError = 0x2,
    FlowControlError = 0x3,
    StreamClosed = 0x5,
    FrameSizeError = 0x6,
    RefusedStream = 0x7,
    Cancel = 0x8,
    CompressionError = 0x9,
    EnhanceYourCalm = 0xb,
}
