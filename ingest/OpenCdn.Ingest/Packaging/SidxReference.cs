namespace OpenCdn.Ingest.Packaging;

/// <summary>One sidx reference: type bit and size, subsegment duration, SAP fields, as stored.</summary>
internal readonly record struct SidxReference(uint TypeAndSize, uint Duration, uint Sap);
