using System.Text;

namespace PgHa.Testing;

/// <summary>The last lines of a log file, for a message that has to show why something did not happen.</summary>
public static class LogTail
{
    /// <summary>How many lines a give-up message shows of each log.</summary>
    public const int DefaultLines = 30;

    /// <summary>The last bytes read: enough for many lines, and a huge log is not read whole.</summary>
    private const int MaxBytes = 64 * 1024;

    /// <summary>The last <paramref name="lines"/> lines of <paramref name="path"/> ("(no such file)" or "(empty)" when there are none).</summary>
    public static string Read(string path, int lines = DefaultLines)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var start = Math.Max(0, stream.Length - MaxBytes);
            stream.Seek(start, SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var text = reader.ReadToEnd();
            var all = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            if (start > 0 && all.Count > 0)
            {
                all.RemoveAt(0); // a partial first line
            }

            while (all.Count > 0 && all[^1].Length == 0)
            {
                all.RemoveAt(all.Count - 1);
            }

            return all.Count == 0 ? "(empty)" : string.Join(Environment.NewLine, all.TakeLast(lines));
        }
        catch (FileNotFoundException)
        {
            return "(no such file)";
        }
        catch (DirectoryNotFoundException)
        {
            return "(no such file)";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(could not read it: {e.Message})";
        }
    }

    /// <summary>A titled block: <c>--- last N lines of PATH (what) ---</c> and the lines.</summary>
    public static string Section(string what, string path, int lines = DefaultLines) =>
        $"{Environment.NewLine}--- last {lines} lines of {path} ({what}) ---{Environment.NewLine}{Read(path, lines)}";
}
