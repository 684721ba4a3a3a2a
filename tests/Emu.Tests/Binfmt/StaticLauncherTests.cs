using Emu.Tests.Conformance;
using Xunit.Abstractions;

namespace Emu.Tests.Binfmt;

/// <summary>
/// An arm64 Debian root (scripts/sysroot) with no x86-64 file in it, not even /lib64, entered with chroot;
/// its programs start through a binfmt_misc entry (flags PF) for the static launcher (scripts/build
/// --binfmt-static), which must bring everything the translator needs. Besides the Debian packages the
/// root gets /dev/null (dash points background jobs at it) and a mounted /proc (the .NET host needs
/// /proc/self/exe); it has no /dev/shm, so the launcher extracts into the root's /tmp, which goes with the
/// root. The machine-wide binfmt test lock is held while the entry exists.
/// </summary>
public sealed class StaticLauncherRoot() : ChrootFixture("chroot-static-test", "artifacts/binfmt-static/emu-aarch64", "scripts/build --binfmt-static", "static")
{
    public string Launcher => Interpreter;

    /// <summary>Where launchers run outside the root extract (EMU_EXTRACT_DIR), so the host's /dev/shm stays clean.</summary>
    public string HostExtractDir => Root + "-extract";

    protected override string PopulateScript() => $"""
        rm -rf '{HostExtractDir}'
        mkdir -p '{HostExtractDir}'
        rm -rf '{Root}/dev/shm'
        """;

    protected override string? Register()
    {
        // Registered by the launcher itself (it extracts outside the root for that, into HostExtractDir).
        var install = BinfmtEnvironment.Shell($"EMU_EXTRACT_DIR='{HostExtractDir}' '{Launcher}' --binfmt install --flags PF --name '{Entry}'", LongStep);
        if (install.Status != 0) return "--binfmt install failed:\n" + install.Output;
        if (!install.Output.Contains($"{Entry}: {Launcher} ", StringComparison.Ordinal))
            return "--binfmt install did not register the launcher:\n" + install.Output;
        return null;
    }

    protected override void CleanUp() => BinfmtEnvironment.Shell($"rm -rf '{HostExtractDir}'", TimeSpan.FromMinutes(2));

    /// <summary>Runs a command line in the root (without an inherited EMU_EXTRACT_DIR).</summary>
    public (int Status, string Output) Chroot(string command)
    {
        Assert.True(SetupError == null, SetupError);
        return BinfmtEnvironment.Shell($"env -u EMU_EXTRACT_DIR chroot '{Root}' {command}", TimeSpan.FromMinutes(3));
    }

    public (int Status, string Output) Sh(string script) => Chroot("/bin/sh -c '" + script.Replace("'", "'\\''") + "'");
}

/// <summary>Flag F with the static launcher: a root that holds only arm64 files runs shell scripts.</summary>
[Collection(nameof(BinfmtMisc))]
public sealed class StaticLauncherTests(StaticLauncherRoot root, ITestOutputHelper output) : IClassFixture<StaticLauncherRoot>
{
    private const int EM_X86_64 = 62;

    private static bool IsX86Elf(string file)
    {
        var header = new byte[20];
        try
        {
            using var s = File.OpenRead(file);
            return s.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length &&
                header[0] == 0x7f && header[1] == (byte)'E' && header[2] == (byte)'L' && header[3] == (byte)'F' && BitConverter.ToUInt16(header, 18) == EM_X86_64;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Files in the root (not following links, not in /proc) that are x86-64 ELF files.</summary>
    private static List<string> X86Files(string root)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        var top = new DirectoryInfo(root);
        var files = top.EnumerateFiles("*", new EnumerationOptions { AttributesToSkip = FileAttributes.ReparsePoint })
            .Concat(top.EnumerateDirectories("*", new EnumerationOptions { AttributesToSkip = FileAttributes.ReparsePoint }).Where(d => d.Name != "proc").SelectMany(d => d.EnumerateFiles("*", options)));
        return [.. files.Where(f => f.Length >= 20 && IsX86Elf(f.FullName)).Select(f => f.FullName)];
    }

    /// <summary>The root's own files: no /lib64 and no x86-64 ELF file before anything ran in it.</summary>
    [BinfmtFact]
    public void RootHasNoHostFile()
    {
        Assert.True(root.SetupError == null, root.SetupError);
        Assert.False(Directory.Exists(Path.Combine(root.Root, "lib64")), "the root has /lib64");
        var x86 = X86Files(root.Root).Where(f => !f.StartsWith(Path.Combine(root.Root, "tmp", "emu-aarch64-"), StringComparison.Ordinal)).ToList();
        Assert.True(x86.Count == 0, "x86-64 files in the root: " + string.Join(", ", x86));
    }

    [BinfmtFact]
    public void StaticProgramRuns()
    {
        var r = root.Chroot("/hello-static");
        Assert.True(r.Status == 0, $"status {r.Status}: {r.Output}");
        Assert.Equal("Hello from emu-aarch64!\n", r.Output);
    }

    /// <summary>Coreutils, pipes, child processes and command substitution: every process is a translator started through the launcher.</summary>
    [BinfmtFact]
    public void ShellScriptWithPipesAndChildren()
    {
        var r = root.Sh("echo hello | tr a-z A-Z; sh -c \"exit 3\"; echo \"child=$?\"; n=$(seq 1 10 | wc -l); echo \"lines=$n\"; uname -m; ls /bin | sort | head -1");
        string firstBin = new DirectoryInfo(Path.Combine(root.Root, "bin")).EnumerateFileSystemInfos().Select(f => f.Name).Order(StringComparer.Ordinal).First();
        Assert.True(r.Status == 0, $"status {r.Status}: {r.Output}");
        Assert.Equal($"HELLO\nchild=3\nlines=10\naarch64\n{firstBin}\n", r.Output);
    }

    /// <summary>
    /// The translators are mapped from the extraction directory in the root's /tmp (mode 0700, one directory
    /// per content hash), and the x86-64 files any of them maps all come from there.
    /// </summary>
    [BinfmtFact]
    public void TranslatorRunsFromTheExtractionDirectory()
    {
        // The shell's own translator process: its host mappings, read by a guest cat (another pid's maps are the host's).
        var r = root.Sh("cat /proc/$$/maps");
        Assert.True(r.Status == 0, $"status {r.Status}: {r.Output}");
        string uidDir = Path.Combine(root.Root, "tmp", "emu-aarch64-0");
        var hashDirs = Directory.GetDirectories(uidDir);
        Assert.True(hashDirs.Length == 1, "extraction directories: " + string.Join(", ", hashDirs));
        Assert.Equal("700\n", BinfmtEnvironment.Shell($"stat -c %a '{uidDir}'", TimeSpan.FromMinutes(1)).Output);
        string inRoot = "/tmp/emu-aarch64-0/" + Path.GetFileName(hashDirs[0]) + "/";
        var files = r.Output.Split('\n').Select(l => l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length == 6 && f[5].StartsWith('/')).Select(f => f[5]).Distinct().ToList();
        output.WriteLine(string.Join("\n", files));
        Assert.Contains(inRoot + "emu-aarch64", files);
        Assert.Contains(inRoot + "ld-linux-x86-64.so.2", files);
        Assert.Contains(inRoot + "libc.so.6", files);
        var x86 = files.Where(f => !f.StartsWith(inRoot, StringComparison.Ordinal) && IsX86Elf(root.Root + f)).ToList();
        Assert.True(x86.Count == 0, "x86-64 files mapped from outside the extraction directory: " + string.Join(", ", x86));
    }

    /// <summary>Without /proc the .NET host cannot find itself: the launcher says so in one line, status 126.</summary>
    [BinfmtFact]
    public void MissingProcIsReported()
    {
        Assert.True(root.SetupError == null, root.SetupError);
        string proc = Path.Combine(root.Root, "proc");
        var umount = BinfmtEnvironment.Shell($"umount '{proc}'", TimeSpan.FromMinutes(1));
        Assert.True(umount.Status == 0, umount.Output);
        try
        {
            var r = root.Chroot("/hello-static");
            Assert.Equal(126, r.Status);
            Assert.Equal("emu-aarch64: /proc is not mounted here; the translator needs /proc/self/exe (mount -t proc proc /proc)\n", r.Output);
        }
        finally
        {
            BinfmtEnvironment.Shell($"mount -t proc proc '{proc}'", TimeSpan.FromMinutes(1));
        }
        Assert.True(StaticLauncherRoot.IsMounted(proc), "/proc was not mounted again");
    }

    /// <summary>EMU_EXTRACT_DIR naming a place that cannot be written: one line, status 126.</summary>
    [BinfmtFact]
    public void NoWritablePlaceIsReported()
    {
        Assert.True(root.SetupError == null, root.SetupError);
        string missing = Path.Combine(root.HostExtractDir, "missing");
        var r = BinfmtEnvironment.Shell($"EMU_EXTRACT_DIR='{missing}' '{root.Launcher}' '{RepoLayout.Testbin("hello")}'", TimeSpan.FromMinutes(1));
        Assert.Equal(126, r.Status);
        Assert.Equal($"emu-aarch64: no writable place to extract the translator: cannot create {missing}/emu-aarch64-0: No such file or directory (EMU_EXTRACT_DIR)\n", r.Output);
    }

    /// <summary>
    /// Flag C through the launcher: a setuid-root program started by nobody gets the program's credentials
    /// and AT_SECURE, and the caller's EMU_EXTRACT_DIR is ignored (a privileged launcher must not write where
    /// the caller says).
    /// </summary>
    [BinfmtFact]
    public void CFlagKeepsCredentialsAndIgnoresTheCallersExtractDir()
    {
        Assert.True(root.SetupError == null, root.SetupError);
        string name = BinfmtEnvironment.TestEntryName("static-c");
        string prog = Path.Combine(root.Root, "creds-setuid"), attacker = Path.Combine(root.Root, "attacker");
        using var machineLock = BinfmtEnvironment.MachineLock();
        try
        {
            var setup = BinfmtEnvironment.Shell(
                $"cp '{RepoLayout.Testbin("creds")}' '{prog}' && chown root:root '{prog}' && chmod 4755 '{prog}' && mkdir -m 1777 '{attacker}' && " +
                $"EMU_EXTRACT_DIR='{root.HostExtractDir}' '{root.Launcher}' --binfmt install --flags PCF --name '{name}'", TimeSpan.FromMinutes(2));
            Assert.True(setup.Status == 0, setup.Output);
            var r = BinfmtEnvironment.Shell($"EMU_EXTRACT_DIR=/attacker chroot --userspec=65534:65534 '{root.Root}' /creds-setuid -v", TimeSpan.FromMinutes(2));
            Assert.True(r.Status == 0, $"status {r.Status}: {r.Output}");
            Assert.Equal("secure=1 uid=65534 euid=0 gid=65534 egid=65534\n", r.Output);
            Assert.Empty(Directory.GetFileSystemEntries(attacker));
        }
        finally
        {
            BinfmtEnvironment.ForceUnregister(name);
            BinfmtEnvironment.Shell($"rm -rf '{prog}' '{attacker}'", TimeSpan.FromMinutes(1));
        }
    }

    /// <summary>Several first starts at once: all run, and they leave one complete extraction and no temporary directory.</summary>
    [BinfmtFact]
    public void ConcurrentFirstStartsShareOneExtraction()
    {
        Assert.True(root.SetupError == null, root.SetupError);
        string dir = Path.Combine(root.HostExtractDir, "concurrent");
        Directory.CreateDirectory(dir);
        string hello = RepoLayout.Testbin("hello");
        var r = BinfmtEnvironment.Shell(
            $"export EMU_EXTRACT_DIR='{dir}'; for i in 1 2 3; do '{root.Launcher}' '{hello}' > '{dir}'/out$i & done; wait; cat '{dir}'/out?",
            TimeSpan.FromMinutes(3));
        Assert.True(r.Status == 0, r.Output);
        Assert.Equal(string.Concat(Enumerable.Repeat("Hello from emu-aarch64!\n", 3)), r.Output);
        var entries = Directory.GetFileSystemEntries(Path.Combine(dir, "emu-aarch64-0"));
        Assert.True(entries.Length == 1 && File.Exists(Path.Combine(entries[0], ".emu-extracted")), "left: " + string.Join(", ", entries));
    }

    /// <summary>A temporary directory left by a killed extraction (its process is gone) is removed by the next extraction.</summary>
    [BinfmtFact]
    public void AbandonedExtractionIsRemoved()
    {
        Assert.True(root.SetupError == null, root.SetupError);
        string dir = Path.Combine(root.HostExtractDir, "abandoned"), uidDir = Path.Combine(dir, "emu-aarch64-0");
        int pidMax = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        string abandoned = Path.Combine(uidDir, $".tmp-0123456789abcdef-{pidMax + 1}-AbCdEf");
        var r = BinfmtEnvironment.Shell(
            $"mkdir -p -m 700 '{uidDir}' && mkdir '{abandoned}' && echo partial > '{abandoned}/emu-aarch64' && " +
            $"EMU_EXTRACT_DIR='{dir}' '{root.Launcher}' '{RepoLayout.Testbin("hello")}'", TimeSpan.FromMinutes(2));
        Assert.True(r.Status == 0, r.Output);
        Assert.Equal("Hello from emu-aarch64!\n", r.Output);
        var entries = Directory.GetFileSystemEntries(uidDir);
        Assert.True(entries.Length == 1 && !entries[0].Contains(".tmp-", StringComparison.Ordinal), "left: " + string.Join(", ", entries));
    }
}
