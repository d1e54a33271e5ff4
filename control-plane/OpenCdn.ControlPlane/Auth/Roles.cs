namespace OpenCdn.ControlPlane.Auth;

/// <summary>The roles a user token carries, and the policies routes require.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Viewer = "viewer";

    /// <summary>Policy: admins only.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>Policy: viewers and admins.</summary>
    public const string ViewerPolicy = "viewer";
}
