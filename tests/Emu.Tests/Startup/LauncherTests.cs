using Emu.Linux;
using Emu.Tests.Conformance;
using Emu.Tests.Programs;

namespace Emu.Tests.Startup;

/// <summary>Runs only where strace is installed (it counts the execve calls of a start).</summary>
public sealed class StraceFactAttribute : FactAttribute
{
    public StraceFactAttribute()
    {
        if (LauncherTests.FindOnPath("strace") == null) Skip = "strace is not installed";
    }
}

/// <summary>A theory that runs only where strace is installed.</summary>
public sealed class StraceTheoryAttribute : TheoryAttribute
{
    public StraceTheoryAttribute()
    {
        if (LauncherTests.FindOnPath("strace") == null) Skip = "strace is not installed";
    }
}

/// <summary>
/// artifacts/bin/emu-aarch64 is a native launcher (src/Launcher/host_launcher.c) that reserves the guest's
/// fd numbers and starts the .NET translator once, in its own process (or through the apphost
/// emu-aarch64-host when it finds no runtime); the guest sees exactly its inherited fds.
/// </summary>
public sealed class LauncherTests(SysrootFixture sysroot) : IClassFixture<SysrootFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("emu-startup").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Launcher => RepoLayout.Runner();

    private static string Host => Launcher + "-host";

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    /// <summary>Runs a bash script on the host with only fds 0-2 open (plus what the script opens).</summary>
    private ProgramResult Bash(string script, Dictionary<string, string>? extraEnv = null)
    {
        var env = ProgramRun.HostEnvironment();
        foreach (var name in env.Keys.Where(k => k.StartsWith("EMU_", StringComparison.Ordinal) || k.StartsWith("QEMU_", StringComparison.Ordinal)).ToList())
            env.Remove(name);
        if (extraEnv != null)
            foreach (var (k, v) in extraEnv) env[k] = v;
        // Whatever fds the test runner leaked to us would be the guest's too: closed first.
        const string CloseInherited = "for f in /proc/$$/fd/*; do n=${f##*/}; if [ \"$n\" -gt 2 ]; then eval \"exec $n>&-\"; fi 2>/dev/null; done; ";
        var r = ProgramRun.Run("/bin/bash", ["-c", CloseInherited + script], _dir, null, env, TimeSpan.FromMinutes(2));
        Assert.False(r.TimedOut, r.ToString());
        return r;
    }

    /// <summary>The successful execve calls strace logged, as the file each one ran.</summary>
    private static List<string> Execs(string straceLog)
    {
        // With several threads, strace splits a call: "PID execve(\"file\", ... <unfinished ...>", then later
        // "PID <... execve resumed>) = 0".
        var execs = new List<string>();
        var unfinished = new Dictionary<string, string>();
        foreach (string line in File.ReadAllLines(straceLog))
        {
            string pid = line.Split(' ', 2)[0];
            bool succeeded = line.TrimEnd().EndsWith("= 0", StringComparison.Ordinal);
            int call = line.IndexOf("execve(\"", StringComparison.Ordinal);
            if (call >= 0)
            {
                string file = line[(call + 8)..].Split('"')[0];
                if (succeeded) execs.Add(file);
                else if (line.Contains("<unfinished ...>", StringComparison.Ordinal)) unfinished[pid] = file;
            }
            else if (line.Contains("<... execve resumed>", StringComparison.Ordinal) && unfinished.Remove(pid, out string? file) && succeeded)
            {
                execs.Add(file);
            }
        }
        return execs;
    }

    private void RequireHost() =>
        Assert.True(File.Exists(Host), $"{Host} does not exist: scripts/build makes it beside the launcher (needs gcc)");

    private ProgramResult TracedHello(string log, string trace, Dictionary<string, string>? env = null)
    {
        var r = Bash($"strace -f -qq -e trace={trace} -o {Quote(log)} {Quote(Launcher)} {Quote(Path.Combine(RepoLayout.PrebuiltDir, "hello"))}", env);
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal("Hello from emu-aarch64!\n", r.Stdout);
        return r;
    }

    [StraceFact]
    public void AHelloRunStartsTheRuntimeInTheLauncherItself()
    {
        // scripts/build found the runtime: the launcher loads it, no apphost (hostfxr, hostpolicy) in between.
        string log = Path.Combine(_dir, "strace.log");
        TracedHello(log, "execve,openat");
        Assert.Equal([Launcher], Execs(log));
        var opened = File.ReadAllLines(log).Where(l => l.Contains("openat(", StringComparison.Ordinal) && !l.Contains("ENOENT", StringComparison.Ordinal)).ToList();
        Assert.Contains(opened, l => l.Contains("/libcoreclr.so\"", StringComparison.Ordinal));
        Assert.DoesNotContain(opened, l => l.Contains("libhostfxr", StringComparison.Ordinal) || l.Contains("libhostpolicy", StringComparison.Ordinal));
    }

    [StraceTheory]
    [InlineData("EMU_HOST", "apphost")]
    [InlineData("EMU_RUNTIME_DIR", "/nonexistent/Microsoft.NETCore.App/10.0.0")]
    [InlineData("EMU_RUNTIME_DIR", "/tmp")] // a directory without libcoreclr.so
    public void WithoutTheRuntimeItFindsTheLauncherExecsTheApphostOnce(string variable, string value)
    {
        RequireHost();
        string log = Path.Combine(_dir, "strace.log");
        TracedHello(log, "execve", new() { [variable] = value });
        var execs = Execs(log);
        Assert.Equal(2, execs.Count);
        Assert.Equal(Host, execs[1]);
    }

    [StraceFact]
    public void TheRuntimePublishedBesideItIsUsedWhateverDotnetRootSays()
    {
        // scripts/build publishes self-contained: the runtime is the one beside the launcher, which the apphost
        // would take too; DOTNET_ROOT (a shared installation) does not apply.
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(Launcher)!, "libcoreclr.so")), "scripts/build published no runtime beside the launcher");
        string log = Path.Combine(_dir, "strace.log");
        TracedHello(log, "execve,openat", new() { ["DOTNET_ROOT"] = "/nonexistent-dotnet" });
        Assert.Equal([Launcher], Execs(log));
        string beside = Path.Combine(Path.GetDirectoryName(Launcher)!, "libcoreclr.so");
        Assert.Contains(File.ReadAllLines(log), l => l.Contains($"\"{beside}\"", StringComparison.Ordinal) && !l.Contains("ENOENT", StringComparison.Ordinal));
    }

    [StraceFact]
    public void AGuestExecveStartsTheLauncherWhichKeepsTheFdsHandedOn()
    {
        Assert.True(sysroot.Error == null, sysroot.Error);
        string log = Path.Combine(_dir, "strace.log");
        // The new translator starts the runtime in the launcher's process again, and takes the fd arrangement
        // the old one hands on instead of reserving its own (one dup3 per number, thousands of them).
        var r = Bash($"strace -f -qq -e trace=execve,openat,dup3 -o {Quote(log)} {Quote(Launcher)} -L {Quote(sysroot.Root)} {Quote(sysroot.Root + "/bin/dash")} -c " +
            Quote("exec /bin/ls /proc/self/fd"), new() { ["PATH"] = "/bin:/usr/bin" });
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal("0\n1\n2\n3\n", r.Stdout); // the guest's own fds, and ls's directory
        Assert.Equal([Launcher, Launcher], Execs(log));
        string[] lines = File.ReadAllLines(log);
        int second = Array.FindLastIndex(lines, l => l.Contains("execve(", StringComparison.Ordinal));
        var after = lines[second..];
        Assert.Contains(after, l => l.Contains("/libcoreclr.so\"", StringComparison.Ordinal) && !l.Contains("ENOENT", StringComparison.Ordinal));
        Assert.DoesNotContain(after, l => l.Contains("libhostfxr", StringComparison.Ordinal));
        int reserving = lines[..second].Count(l => l.Contains("dup3(", StringComparison.Ordinal));
        int rereserving = after.Count(l => l.Contains("dup3(", StringComparison.Ordinal));
        // The translator's own dup3 calls (guest opens moved to guest numbers) are a few dozen.
        Assert.True(reserving > 1000, $"the first launcher reserved the fds with {reserving} dup3 calls");
        Assert.True(rereserving < reserving / 4, $"the second translator made {rereserving} dup3 calls, the first {reserving}");
    }

    [StraceFact]
    public void WithoutTheLauncherTheTranslatorReservesTheFdsByReexecutingItself()
    {
        RequireHost();
        string log = Path.Combine(_dir, "strace.log");
        var r = Bash($"strace -f -qq -e trace=execve -o {Quote(log)} {Quote(Host)} -L {Quote(sysroot.Root)} {Quote(sysroot.Root + "/bin/ls")} /proc/self/fd");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal("0\n1\n2\n3\n", r.Stdout);
        Assert.Equal(2, Execs(log).Count(e => e.EndsWith("/emu-aarch64-host", StringComparison.Ordinal) || e == "/proc/self/exe"));
    }

    [StraceFact]
    public void EmuNoFdReserveRunsTheTranslatorOnceWithoutReserving()
    {
        RequireHost();
        string log = Path.Combine(_dir, "strace.log");
        var r = Bash($"strace -f -qq -e trace=execve,dup3 -o {Quote(log)} {Quote(Launcher)} {Quote(Path.Combine(RepoLayout.PrebuiltDir, "hello"))}",
            new() { ["EMU_NO_FD_RESERVE"] = "1" });
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal("Hello from emu-aarch64!\n", r.Stdout);
        // Started once: in the launcher, or (no runtime found by scripts/build) through the apphost.
        Assert.True(Execs(log).Count(e => e != Launcher) <= 1, string.Join("\n", Execs(log)));
        Assert.DoesNotContain(File.ReadAllLines(log), l => l.Contains("dup3(", StringComparison.Ordinal));
    }

    [Fact]
    public void TheGuestSeesOnlyTheStandardFds()
    {
        Assert.True(sysroot.Error == null, sysroot.Error);
        // ls's own directory fd is 3.
        var r = Bash($"exec {Quote(Launcher)} -L {Quote(sysroot.Root)} {Quote(sysroot.Root + "/bin/ls")} /proc/self/fd");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal("0\n1\n2\n3\n", r.Stdout);
    }

    [Fact]
    public void AnInheritedFdSurvivesIntoTheGuestAndItsExecutedChildren()
    {
        Assert.True(sysroot.Error == null, sysroot.Error);
        string file = Path.Combine(_dir, "input");
        File.WriteAllText(file, "from fd 5\n");
        // The child ls is a guest execve: a new translator that inherits 5 and the guest's 7 (PrepareExec's list).
        var r = Bash($"exec 5<{Quote(file)}; exec {Quote(Launcher)} -L {Quote(sysroot.Root)} {Quote(sysroot.Root + "/bin/dash")} -c " +
            Quote("read line <&5; echo \"$line\"; exec 7<&5; ls /proc/self/fd"),
            new() { ["PATH"] = "/bin:/usr/bin" });
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal("from fd 5\n0\n1\n2\n3\n5\n7\n", r.Stdout);
    }

    [Fact]
    public void FdListsRoundTrip()
    {
        var flags = new bool[300];
        foreach (int fd in new[] { 0, 1, 2, 5, 7, 8, 9, 299 }) flags[fd] = true;
        Assert.Equal("0-2,5,7-9,299", FdTable.FormatFdList(flags));
        Assert.Equal(flags, FdTable.ParseFdList("0-2,5,7-9,299", 300));
        Assert.Equal(new bool[300], FdTable.ParseFdList("", 300));
        Assert.Equal("", FdTable.FormatFdList(new bool[300]));
    }

    [Theory]
    [InlineData("0-2,300")]
    [InlineData("2-1")]
    [InlineData("x")]
    [InlineData("0,,1")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1234567890")]
    public void MalformedFdListsAreRejected(string list) => Assert.Null(FdTable.ParseFdList(list, 300));

    [Theory]
    [InlineData("0", 0)]
    [InlineData("4096", 4096)]
    [InlineData("007", 7)]
    [InlineData("999999999", 999999999)]
    public void DecimalNumbersParse(string text, int expected)
    {
        Assert.True(FdTable.TryParseDecimal(text, out int value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1a")]
    [InlineData("-5")]
    [InlineData("1 ")]
    [InlineData("1234567890")] // more digits than the parser takes: no overflow to a wrong value
    public void NonDecimalTextIsRejected(string text) => Assert.False(FdTable.TryParseDecimal(text, out _));
}
