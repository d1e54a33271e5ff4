namespace OpenCdn.Edge.Fill;

/// <summary>How one pass of the fill agent over its plan ended.</summary>
internal enum FillPassOutcome
{
    NoPlan,
    OutsideWindow,
    Complete,
    Incomplete,
}
