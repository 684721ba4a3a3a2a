using System.Diagnostics;
using System.Runtime.InteropServices;
using Emu.Tests.Conformance;

namespace Emu.Tests.Binfmt;

/// <summary>What the binfmt_misc and chroot tests need from the host: root, a mountable binfmt_misc, chroot(2).</summary>
internal static partial class BinfmtEnvironment
{
    public const string MiscDir = "/proc/sys/fs/binfmt_misc";

    private static readonly Lazy<string?> s_unavailable = new(Probe);

    /// <summary>Why the tests cannot run here, or null when they can.</summary>
    public static string? Unavailable => s_unavailable.Value;

    private static string? Probe()
    {
        if (GetEuid() != 0) return "needs root (registering with binfmt_misc and chroot do)";
        if (!File.Exists(Path.Combine(MiscDir, "register")))
        {
            if (!Directory.Exists(MiscDir)) return $"{MiscDir} does not exist: the kernel has no binfmt_misc";
            var r = Shell($"mount -t binfmt_misc binfmt_misc {MiscDir}", TimeSpan.FromSeconds(20));
            if (r.Status != 0 || !File.Exists(Path.Combine(MiscDir, "register"))) return $"binfmt_misc cannot be mounted: {r.Output.Trim()}";
        }
        var c = Shell("chroot / /bin/true", TimeSpan.FromSeconds(20));
        if (c.Status != 0) return $"chroot is not permitted here: {c.Output.Trim()}";
        return null;
    }

    /// <summary>A binfmt_misc entry name no one else uses.</summary>
    public static string TestEntryName(string what) => $"emu-aarch64-test-{Environment.ProcessId}-{what}";

    /// <summary>Runs `bash -c script`, merging stderr into the output; kills it (and its children) on timeout.</summary>
    public static (int Status, string Output) Shell(string script, TimeSpan timeout, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec 2>&1; " + script);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start bash");
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return (-1, $"timed out after {timeout.TotalSeconds:0} s: {script}\n{(output.Wait(TimeSpan.FromSeconds(5)) ? output.Result : "")}");
        }
        output.Wait(TimeSpan.FromSeconds(10));
        return (p.ExitCode, output.IsCompleted ? output.Result : "");
    }

    /// <summary>artifacts/bin/emu-aarch64 (framework-dependent; fine outside chroots).</summary>
    public static string Emulator => RepoLayout.Runner();

    /// <summary>Removes a binfmt_misc entry directly (not through the code under test), ignoring absence.</summary>
    public static void ForceUnregister(string name)
    {
        string entry = Path.Combine(MiscDir, name);
        try
        {
            if (File.Exists(entry)) File.WriteAllText(entry, "-1");
        }
        catch (IOException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();
}

/// <summary>A fact that is skipped, with the reason, where binfmt_misc or chroot cannot be used.</summary>
public sealed class BinfmtFactAttribute : FactAttribute
{
    public BinfmtFactAttribute()
    {
        if (BinfmtEnvironment.Unavailable is { } why) Skip = why;
    }
}
