namespace Emu.Linux;

/// <summary>
/// Where an absolute guest path leads on the host: under the -L sysroot if it exists there (qemu's
/// behaviour), else the host path itself; /proc/self/exe means the guest executable, not the translator.
/// </summary>
public sealed class PathResolver(string? sysRoot, string executablePath)
{
    private readonly string? _sysRoot = string.IsNullOrEmpty(sysRoot) ? null : sysRoot.TrimEnd('/');

    public string ExecutablePath { get; } = executablePath;

    /// <summary>True for the paths that name the running executable.</summary>
    public static bool IsSelfExe(string path) =>
        path == "/proc/self/exe" || path == $"/proc/{Environment.ProcessId}/exe";

    /// <summary>Returns <paramref name="path"/> itself (same reference) when nothing applies.</summary>
    public string Resolve(string path)
    {
        if (!path.StartsWith('/')) return path;
        if (IsSelfExe(path) && ExecutablePath.Length > 0) return ExecutablePath;
        if (_sysRoot == null || path == "/") return path;
        string candidate = _sysRoot + path;
        return Exists(candidate) ? candidate : path;
    }

    // Dangling symlinks count: the guest's view of its root wins even when a link points nowhere.
    private static bool Exists(string p) =>
        File.Exists(p) || Directory.Exists(p) || new FileInfo(p).LinkTarget != null;
}
