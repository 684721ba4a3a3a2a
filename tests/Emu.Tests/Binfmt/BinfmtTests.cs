using Emu.Cli;
using Emu.Tests.Conformance;

namespace Emu.Tests.Binfmt;

[CollectionDefinition(nameof(BinfmtMisc), DisableParallelization = true)]
public sealed class BinfmtMisc;

/// <summary>--binfmt parsing and real binfmt_misc registrations (root only; skipped elsewhere).</summary>
[Collection(nameof(BinfmtMisc))]
public sealed class BinfmtTests
{
    private static readonly Dictionary<string, string> NoEnv = [];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public void BinfmtInstallFormParsesFlagsPathAndName()
    {
        var o = CommandLineParser.Parse(["--binfmt", "install", "--flags", "POCF", "--path", "/opt/emu", "--name", "arm64"], NoEnv);
        Assert.Equal(CliAction.BinfmtInstall, o.Action);
        Assert.Equal("POCF", o.BinfmtFlags);
        Assert.Equal("/opt/emu", o.BinfmtPath);
        Assert.Equal("arm64", o.BinfmtName);
        Assert.Equal(CliAction.BinfmtUninstall, CommandLineParser.Parse(["--binfmt", "uninstall", "--name", "x"], NoEnv).Action);
        Assert.Equal(CliAction.BinfmtStatus, CommandLineParser.Parse(["--binfmt", "status"], NoEnv).Action);
        Assert.Equal(BinfmtRegistration.DefaultName, CommandLineParser.Parse(["--binfmt", "status"], NoEnv).BinfmtName);
    }

    [Theory]
    [InlineData("--binfmt", "enable")]
    [InlineData("--binfmt", "install", "--flags", "PX")]
    [InlineData("--binfmt", "install", "--flags", "PP")]
    [InlineData("--binfmt", "install", "--name", "a/b")]
    [InlineData("--binfmt", "install", "--name", "a:b")]
    [InlineData("--binfmt", "install", "extra")]
    public void BadBinfmtArgumentsAreRejected(params string[] args) =>
        Assert.Throws<CommandLineException>(() => CommandLineParser.Parse(args, NoEnv));

    [Fact]
    public void RegistrationLineHasQemuMagicAndFlags()
    {
        string line = BinfmtRegistration.RegistrationLine("n", "/i", "OCF");
        Assert.StartsWith(@":n:M::\x7f\x45\x4c\x46\x02\x01\x01\x00", line);
        // e_machine 0xb7 (EM_AARCH64), little-endian, then interpreter and flags.
        Assert.EndsWith(@"\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/i:OCF", line);
    }

    [Fact]
    public void HelpExplainsEveryFlagAndTheSingleFileBuild()
    {
        string usage = CommandLineParser.Usage();
        Assert.Contains("--binfmt", usage.Replace("  -binfmt ", "  --binfmt "), StringComparison.Ordinal);
        foreach (char flag in "POCF")
            Assert.Matches($@"(?m)^  {flag}  \S", usage);
        Assert.Contains("--single-file", usage, StringComparison.Ordinal);
    }

    [Fact]
    public void FrameworkDependentBuildIsRecognised()
    {
        string dir = Directory.CreateTempSubdirectory("emu-binfmt-").FullName;
        try
        {
            string exe = Path.Combine(dir, "emu-aarch64");
            File.WriteAllText(exe, "");
            Assert.False(BinfmtRegistration.IsFrameworkDependent(exe));
            File.WriteAllText(Path.Combine(dir, "emu-aarch64.dll"), "");
            Assert.True(BinfmtRegistration.IsFrameworkDependent(exe));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Registers <paramref name="flags"/> under a test-only name, runs <paramref name="script"/>, always unregisters.</summary>
    private static (int Status, string Output) WithRegistration(string flags, string script, Action<string>? checkStatus = null)
    {
        string name = BinfmtEnvironment.TestEntryName(flags.Length == 0 ? "none" : flags);
        string emu = BinfmtEnvironment.Emulator;
        using var machineLock = BinfmtEnvironment.MachineLock();
        try
        {
            var install = BinfmtEnvironment.Shell($"'{emu}' --binfmt install --flags '{flags}' --name '{name}'", Timeout);
            Assert.True(install.Status == 0, install.Output);
            Assert.Contains($"registered {name}", install.Output, StringComparison.Ordinal);
            var status = BinfmtEnvironment.Shell($"'{emu}' --binfmt status --name '{name}'", Timeout);
            Assert.True(status.Status == 0, status.Output);
            Assert.Contains("enabled", status.Output, StringComparison.Ordinal);
            Assert.Contains($"interpreter {emu}", status.Output, StringComparison.Ordinal);
            checkStatus?.Invoke(status.Output);
            return BinfmtEnvironment.Shell(script, Timeout);
        }
        finally
        {
            var uninstall = BinfmtEnvironment.Shell($"'{emu}' --binfmt uninstall --name '{name}'", Timeout);
            BinfmtEnvironment.ForceUnregister(name);
            Assert.False(File.Exists(Path.Combine(BinfmtEnvironment.MiscDir, name)), $"{name} is still registered: {uninstall.Output}");
        }
    }

    [BinfmtFact]
    public void PFlagPreservesArgv0()
    {
        string prog = RepoLayout.Testbin("args_env");
        var r = WithRegistration("P", $"exec -a custom-argv0 '{prog}' one two",
            status => Assert.Contains("flags: P", status, StringComparison.Ordinal));
        Assert.Contains("argc = 3", r.Output, StringComparison.Ordinal);
        Assert.Contains("argv[0] basename = custom-argv0", r.Output, StringComparison.Ordinal);
    }

    [BinfmtFact]
    public void WithoutPFlagArgv0IsTheProgramPath()
    {
        string prog = RepoLayout.Testbin("args_env");
        var r = WithRegistration("", $"exec -a custom-argv0 '{prog}' one two");
        Assert.Contains("argc = 3", r.Output, StringComparison.Ordinal);
        Assert.Contains("argv[0] basename = args_env", r.Output, StringComparison.Ordinal);
    }

    [BinfmtFact]
    public void StatusOfMissingEntrySaysNotRegistered()
    {
        var r = BinfmtEnvironment.Shell($"'{BinfmtEnvironment.Emulator}' --binfmt status --name '{BinfmtEnvironment.TestEntryName("absent")}'", Timeout);
        Assert.Equal(3, r.Status);
        Assert.Contains("is not registered", r.Output, StringComparison.Ordinal);
    }

    /// <summary>An execute-only program (mode 111) run by an unprivileged user: only O (the kernel opens it) makes it work.</summary>
    [BinfmtFact]
    public void OFlagRunsExecuteOnlyPrograms()
    {
        string dir = Directory.CreateTempSubdirectory("emu-binfmt-o-").FullName;
        try
        {
            string prog = Path.Combine(dir, "hello");
            File.Copy(RepoLayout.Testbin("hello"), prog);
            var chmod = BinfmtEnvironment.Shell($"chmod 755 '{dir}' && chmod 111 '{prog}'", Timeout);
            Assert.True(chmod.Status == 0, chmod.Output);
            string asNobody = $"setpriv --reuid=65534 --regid=65534 --clear-groups '{prog}'";

            var withO = WithRegistration("O", asNobody, status => Assert.Contains("flags: O", status, StringComparison.Ordinal));
            Assert.True(withO.Status == 0, withO.Output);
            Assert.Equal("Hello from emu-aarch64!\n", withO.Output);

            var withoutO = WithRegistration("", asNobody);
            Assert.NotEqual(0, withoutO.Status);
            Assert.Contains("Permission denied", withoutO.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// A setuid-root program started by an unprivileged user: with C the kernel gives the interpreter the
    /// program's credentials and AT_SECURE, which the guest must see; without C the setuid bit is ignored.
    /// </summary>
    [BinfmtFact]
    public void CFlagGivesSetuidProgramsTheirCredentials()
    {
        string dir = Directory.CreateTempSubdirectory("emu-binfmt-c-").FullName;
        try
        {
            string prog = Path.Combine(dir, "creds");
            File.Copy(RepoLayout.Testbin("creds"), prog);
            var chmod = BinfmtEnvironment.Shell($"chmod 755 '{dir}' && chown root:root '{prog}' && chmod 4755 '{prog}'", Timeout);
            Assert.True(chmod.Status == 0, chmod.Output);
            if (BinfmtEnvironment.Shell($"findmnt -n -o OPTIONS -T '{dir}'", Timeout).Output.Contains("nosuid", StringComparison.Ordinal))
                Assert.Fail($"{dir} is on a nosuid file system: setuid cannot be tested there");
            string asNobody = $"setpriv --reuid=65534 --regid=65534 --clear-groups '{prog}' -v";

            var withC = WithRegistration("C", asNobody, status => Assert.Contains("flags: OC", status, StringComparison.Ordinal));
            Assert.True(withC.Status == 0, withC.Output);
            Assert.Equal("secure=1 uid=65534 euid=0 gid=65534 egid=65534\n", withC.Output);

            var withoutC = WithRegistration("", asNobody);
            Assert.True(withoutC.Status == 0, withoutC.Output);
            Assert.Equal("secure=0 uid=65534 euid=65534 gid=65534 egid=65534\n", withoutC.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Entries left by a killed test run (its process id no longer exists) are removed; a live run's stay.</summary>
    [BinfmtFact]
    public void StaleTestEntriesAreRemoved()
    {
        int pidMax = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        string stale = $"emu-aarch64-test-{pidMax + 1}-stale", live = BinfmtEnvironment.TestEntryName("live");
        using var machineLock = BinfmtEnvironment.MachineLock();
        try
        {
            foreach (string name in (string[])[stale, live])
            {
                var r = BinfmtEnvironment.Shell($"'{BinfmtEnvironment.Emulator}' --binfmt install --name '{name}'", Timeout);
                Assert.True(r.Status == 0, r.Output);
            }
            var removed = BinfmtEnvironment.RemoveStaleEntries();
            Assert.Contains(stale, removed);
            Assert.DoesNotContain(live, removed);
            Assert.False(File.Exists(Path.Combine(BinfmtEnvironment.MiscDir, stale)));
            Assert.True(File.Exists(Path.Combine(BinfmtEnvironment.MiscDir, live)));
        }
        finally
        {
            BinfmtEnvironment.ForceUnregister(stale);
            BinfmtEnvironment.ForceUnregister(live);
        }
    }
}
