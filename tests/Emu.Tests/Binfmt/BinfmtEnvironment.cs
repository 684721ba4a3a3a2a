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
        RemoveStaleEntries();
        return null;
    }

    private const string TestEntryPrefix = "emu-aarch64-test-";

    /// <summary>A binfmt_misc entry name no one else uses: the prefix, this process's id, then what it is for.</summary>
    public static string TestEntryName(string what) => $"{TestEntryPrefix}{Environment.ProcessId}-{what}";

    /// <summary>
    /// Removes test entries whose test process is gone (killed before its cleanup ran), so they cannot
    /// take over AArch64 programs. Entries of a live test process, e.g. a concurrent run from another
    /// checkout, are left alone.
    /// </summary>
    public static List<string> RemoveStaleEntries()
    {
        var removed = new List<string>();
        foreach (string entry in Directory.EnumerateFiles(MiscDir, TestEntryPrefix + "*"))
        {
            string name = Path.GetFileName(entry);
            string pid = name[TestEntryPrefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out int id) && Directory.Exists($"/proc/{id}")) continue;
            ForceUnregister(name);
            removed.Add(name);
        }
        return removed;
    }

    private static readonly object s_machineLockGate = new();
    private static int s_machineLockDepth;
    private static int s_machineLockFd = -1;

    /// <summary>
    /// Test runs from other checkouts share the kernel's binfmt_misc, and the newest matching entry wins:
    /// while one run's entry exists, another run's programs would start through it. Tests that register
    /// an entry hold this lock (flock on a file in /run/lock or /tmp) for as long as it exists; nested
    /// holds in one process are counted.
    /// </summary>
    public static IDisposable MachineLock()
    {
        lock (s_machineLockGate)
        {
            if (s_machineLockDepth++ == 0)
            {
                string dir = Directory.Exists("/run/lock") ? "/run/lock" : Path.GetTempPath();
                // Opened with open(2), not FileStream: .NET takes its own non-blocking flock on every file it
                // opens, so a FileStream failed at once ("used by another process") while another run held the
                // lock, instead of waiting for it here.
                int fd = Open(Path.Combine(dir, "emu-aarch64-binfmt-tests.lock"), O_RDWR | O_CREAT | O_CLOEXEC, 0x1b6 /* 0666 */);
                if (fd < 0 || Flock(fd, LOCK_EX) != 0)
                {
                    s_machineLockDepth--;
                    if (fd >= 0) Close(fd);
                    throw new IOException($"cannot take the binfmt test lock (errno {Marshal.GetLastPInvokeError()})");
                }
                s_machineLockFd = fd;
            }
        }
        return new MachineLockHold();
    }

    private sealed class MachineLockHold : IDisposable
    {
        private bool _released;

        public void Dispose()
        {
            lock (s_machineLockGate)
            {
                if (_released) return;
                _released = true;
                if (--s_machineLockDepth == 0)
                {
                    if (s_machineLockFd >= 0) Close(s_machineLockFd); // closing the file releases the flock
                    s_machineLockFd = -1;
                }
            }
        }
    }

    private const int LOCK_EX = 2, O_RDWR = 2, O_CREAT = 0x40, O_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

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
