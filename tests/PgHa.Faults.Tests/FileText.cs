namespace PgHa.Faults.Tests;

/// <summary>Reading what a log gained since an offset.</summary>
public static class FileText
{
    public static async Task<string> ReadFromAsync(string path, long offset)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
