namespace OpenCdn.Cli.Uploads;

/// <summary>Who follows an upload: the offset as bytes go out, and a note while something is wrong (null when it is not).</summary>
internal interface IUploadObserver
{
    void Sent(long offset);

    void Note(string? note);
}
