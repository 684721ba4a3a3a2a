using System.Text.RegularExpressions;
using Emu.Tests.Conformance;
using Xunit.Abstractions;

namespace Emu.Tests.Binfmt;

/// <summary>
/// An arm64 Debian root (scripts/sysroot) entered with chroot, its programs started by the kernel through a
/// binfmt_misc entry for the single-file build (scripts/build --single-file). Flags "PF": F because the
/// kernel then holds the interpreter open from registration (the chroot's view has no emulator path to
/// look up), P so busybox-style programs see their argv[0]. What the root gets besides the Debian
/// packages, and why: the single-file build is still a dynamically linked x86-64 program, so the host's
/// ld-linux-x86-64 and the libraries ldd lists go in at their host paths (a multiarch root with
/// libc6:amd64 has the same); the .NET host re-opens its own bundle by the path /proc/self/exe names, so
/// /proc is mounted and the interpreter is hard-linked at its host path; /dev/null is made because dash
/// points a background job's stdin at it. The machine-wide binfmt test lock is held while the entry exists.
/// </summary>
public sealed class ChrootRoot() : ChrootFixture("chroot-test", "artifacts/single/emu-aarch64", "scripts/build --single-file", "chroot")
{
    // The libraries are copied (they may live on another file system).
    protected override string PopulateScript() => $"""
        for lib in $(ldd '{Interpreter}' | grep -o '/[^ ]*'); do
            mkdir -p "$(dirname '{Root}'"$lib")"
            cp -L "$lib" '{Root}'"$lib"
        done
        mkdir -p '{Root}{Path.GetDirectoryName(Interpreter)}'
        ln '{Interpreter}' '{Root}{Interpreter}' 2>/dev/null || cp '{Interpreter}' '{Root}{Interpreter}'
        """;

    protected override string? Register()
    {
        var install = BinfmtEnvironment.Shell($"'{Interpreter}' --binfmt install --flags PF --path '{Interpreter}' --name '{Entry}'", LongStep);
        return install.Status != 0 ? "--binfmt install failed:\n" + install.Output : null;
    }

    protected override void Unregister()
    {
        if (File.Exists(Interpreter)) BinfmtEnvironment.Shell($"'{Interpreter}' --binfmt uninstall --name '{Entry}'", TimeSpan.FromMinutes(1));
    }

    /// <summary>Runs /bin/sh -c <paramref name="script"/> inside the root.</summary>
    public (int Status, string Output) Sh(string script)
    {
        Assert.True(SetupError == null, SetupError);
        string quoted = "'" + script.Replace("'", "'\\''") + "'";
        return BinfmtEnvironment.Shell($"chroot '{Root}' /bin/sh -c {quoted}", TimeSpan.FromMinutes(3));
    }
}

/// <summary>
/// Shell scripts in the chroot. Debian's dash and coreutils need instructions other areas are still adding
/// (e.g. ADDHN in glibc's string functions) and guest fork/exec: until then a run may end with the
/// emulator's "illegal instruction" report, which these tests accept as pending (written to the test
/// output) so they light up by themselves when the instructions land. Any other outcome must be exact.
/// </summary>
[Collection(nameof(BinfmtMisc))]
public sealed class ChrootTests(ChrootRoot root, ITestOutputHelper output) : IClassFixture<ChrootRoot>
{
    private static string Host(string script) => BinfmtEnvironment.Shell(script, TimeSpan.FromMinutes(1)).Output;

    private void AssertRuns(string script, string expectedOutput, int expectedStatus = 0)
    {
        var r = root.Sh(script);
        if (r.Output.Contains("emu-aarch64: illegal instruction 0x", StringComparison.Ordinal))
        {
            output.WriteLine($"PENDING (unimplemented instruction): {script}\n{r.Output}");
            return;
        }
        Assert.True(r.Status == expectedStatus, $"status {r.Status}, expected {expectedStatus}; output:\n{r.Output}");
        Assert.Equal(expectedOutput, r.Output);
    }

    // --- no shell: the kernel starts the emulator (flag F) for a program inside the root --------------

    [BinfmtFact]
    public void StaticProgramRunsInTheRoot()
    {
        Assert.True(root.SetupError == null, root.SetupError);
        var r = BinfmtEnvironment.Shell($"chroot '{root.Root}' /hello-static", TimeSpan.FromMinutes(2));
        Assert.True(r.Status == 0, $"status {r.Status}: {root.SetupError ?? r.Output}");
        Assert.Equal("Hello from emu-aarch64!\n", r.Output);
    }

    // --- no child processes: the shell alone -------------------------------------------------------

    [BinfmtFact]
    public void ShellBuiltinsRun() => AssertRuns("echo hello; x=$((6 * 7)); echo \"$x\"; exit 5", "hello\n42\n", 5);

    [BinfmtFact]
    public void ExecReplacesTheShell() => AssertRuns("exec /bin/echo exec ok", "exec ok\n");

    [BinfmtFact]
    public void DynamicCoreutilsProgramRuns() => AssertRuns("exec /bin/uname -m", "aarch64\n");

    // --- child processes (guest fork + exec) -------------------------------------------------------------

    [BinfmtFact]
    public void PipeThroughCoreutils() => AssertRuns("echo hello | tr a-z A-Z", "HELLO\n");

    [BinfmtFact]
    public void ChildExitStatusReachesTheShell() => AssertRuns("sh -c \"exit 3\"; echo $?", "3\n");

    [BinfmtFact]
    public void ListingSortedThroughAPipeline()
    {
        string expected = Host($"ls '{root.Root}/bin' | LC_ALL=C sort | head -3");
        Assert.Equal(3, expected.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        AssertRuns("ls /bin | sort | head -3", expected);
    }

    /// <summary>
    /// Two external children on one pipe. This used to hang: a forked translator inherited runtime state
    /// from threads that fork does not copy (see Tier1Compiler's fork notes and the TieredCompilation
    /// setting in Emu.Cli.csproj).
    /// </summary>
    [BinfmtFact]
    public void Sha256sumOfSeq()
    {
        string expected = Host("seq 1 100 | sha256sum");
        Assert.Matches(new Regex("^[0-9a-f]{64}  -\n$"), expected);
        AssertRuns("seq 1 100 | sha256sum", expected);
    }

    [BinfmtFact]
    public void FourStagePipeline()
    {
        string script = "seq 1 1000 | sed -n 's/99/X/p' | tr X Y | wc -c";
        AssertRuns(script, Host(script));
    }

    [BinfmtFact]
    public void CommandSubstitutionAndFiles() =>
        AssertRuns("n=$(seq 1 10 | wc -l); echo \"lines=$n\" > /tmp/emu-chroot-test; cat /tmp/emu-chroot-test; rm /tmp/emu-chroot-test", "lines=10\n");

    [BinfmtFact]
    public void NestedCommandSubstitutionAndSubshell() =>
        AssertRuns("echo \"$(echo \"$(seq 3 | wc -l)\" inner) outer\"; (cd /etc && pwd; exit 4); echo \"sub=$?\"; pwd", "3 inner outer\n/etc\nsub=4\n/\n");

    [BinfmtFact]
    public void BackgroundJobsAndWait() =>
        AssertRuns(
            "for i in 1 2 3; do (echo job$i > /tmp/emu-job$i) & done; wait; cat /tmp/emu-job1 /tmp/emu-job2 /tmp/emu-job3; rm /tmp/emu-job?; " +
            "sh -c 'exit 7' & wait $!; echo \"status=$?\"; sleep 0.2 & echo started; wait; echo done",
            "job1\njob2\njob3\nstatus=7\nstarted\ndone\n");

    [BinfmtFact]
    public void Xargs() =>
        AssertRuns("seq 1 5 | xargs echo; printf 'a\\nb\\n' | xargs -n1 echo item", "1 2 3 4 5\nitem a\nitem b\n");

    [BinfmtFact]
    public void FindExec()
    {
        string expected = Host($"find '{root.Root}/etc' -maxdepth 1 -name '*.conf' -exec basename {{}} \\; | LC_ALL=C sort");
        Assert.NotEqual("", expected);
        AssertRuns("find /etc -maxdepth 1 -name '*.conf' -exec basename {} \\; | sort", expected);
    }
}
