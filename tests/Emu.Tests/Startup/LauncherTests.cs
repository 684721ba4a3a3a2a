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

/// <summary>
/// artifacts/bin/emu-aarch64 is a native launcher (src/Launcher/host_launcher.c) that reserves the guest's
/// fd numbers and starts the .NET translator emu-aarch64-host once; the guest sees exactly its inherited fds.
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
    private static List<string> Execs(string straceLog) =>
        [.. File.ReadAllLines(straceLog)
            .Where(l => l.Contains("execve(\"", StringComparison.Ordinal) && l.TrimEnd().EndsWith("= 0", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("execve(\"", StringComparison.Ordinal) + 8)..].Split('"')[0])];

    private void RequireHost() =>
        Assert.True(File.Exists(Host), $"{Host} does not exist: scripts/build makes it beside the launcher (needs gcc)");

    [StraceFact]
    public void AHelloRunStartsTheTranslatorOnce()
    {
        RequireHost();
        string log = Path.Combine(_dir, "strace.log");
        var r = Bash($"strace -f -qq -e trace=execve -o {Quote(log)} {Quote(Launcher)} {Quote(Path.Combine(RepoLayout.PrebuiltDir, "hello"))}");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal("Hello from emu-aarch64!\n", r.Stdout);
        var execs = Execs(log);
        Assert.Equal(2, execs.Count);
        Assert.Equal(1, execs.Count(e => e.EndsWith("/emu-aarch64-host", StringComparison.Ordinal)));
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
        Assert.Equal(1, Execs(log).Count(e => e.EndsWith("/emu-aarch64-host", StringComparison.Ordinal)));
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
    public void MalformedFdListsAreRejected(string list) => Assert.Null(FdTable.ParseFdList(list, 300));
}
