using Emu.Tests.Conformance;
using Xunit.Abstractions;

namespace Emu.Tests.Programs;

/// <summary>
/// CPython's own test suite (libpython3.11-testsuite in the arm64 root) under emu-aarch64: each run must end
/// with the suite's own verdict, "Tests result: SUCCESS", and exit status 0. The modules listed pass under
/// qemu-aarch64 too, apart from tests that need qemu to execve an AArch64 program (it cannot without
/// binfmt_misc). Several modules share one interpreter: python's start-up is a good part of each run's cost.
/// </summary>
public sealed class CpythonTestSuiteTests(SysrootFixture sysroot, ITestOutputHelper output) : IClassFixture<SysrootFixture>
{
    /// <summary>Set (to anything) to run the slow modules too (<see cref="CpythonSlowTheoryAttribute"/>).</summary>
    public const string SlowVariable = "EMU_CPYTHON_SLOW";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>In the default suite: together about a minute of CPU time.</summary>
    [Theory]
    [InlineData("test_float", "test_bisect", "test_cmath", "test_complex", "test_int")]
    [InlineData("test_fcntl", "test_select", "test_selectors", "test_thread")]
    [InlineData("test_pty", "test_mmap", "test_resource", "test_glob", "test_binascii", "test_zlib")]
    public void ModulesPass(params string[] modules) => RunModules(modules);

    /// <summary>
    /// The signal and process-group part of test_subprocess: restore_signals (the child's SigIgn in its
    /// /proc/self/status must change), send_signal/kill/terminate of a python child, start_new_session.
    /// The whole module takes far longer (about 250 tests, most start a python child).
    /// </summary>
    [Fact]
    public void SubprocessSignalTestsPass() => RunModules(["test_subprocess", "-m", "test_restore_signals", "-m", "test_send_signal",
        "-m", "test_kill", "-m", "test_terminate", "-m", "test_start_new_session", "-m", "test_preexec_exception"]);

    /// <summary>On demand (EMU_CPYTHON_SLOW=1): each takes half a minute or more of CPU time.</summary>
    [CpythonSlowTheory]
    [InlineData("test_math")]
    [InlineData("test_struct")]
    [InlineData("test_long")]
    [InlineData("test_re", "test_hashlib", "test_array", "test_shutil")]
    [InlineData("test_bytes", "test_tempfile")]
    [InlineData("test_json")]
    [InlineData("test_posix")]
    [InlineData("test_statistics")]
    [InlineData("test_faulthandler")]
    [InlineData("test_signal")]
    [InlineData("test_os")]
    [InlineData("test_threading")]
    [InlineData("test_socket", "test_unicode")]
    [InlineData("test_decimal")]
    public void SlowModulesPass(params string[] modules) => RunModules(modules);

    private void RunModules(string[] modules)
    {
        Assert.True(sysroot.Error == null, sysroot.Error);
        string root = sysroot.Root;
        string dir = Directory.CreateTempSubdirectory("emu-cpython-").FullName;
        try
        {
            var r = ProgramRun.Run(RepoLayout.Runner(), ["-L", root, root + "/usr/bin/python3.11", "-m", "test", "-q", .. modules],
                dir, null, ProgramRun.GuestEnvironment(dir), Timeout);
            output.WriteLine($"== emu-aarch64: {r}");
            Assert.False(r.TimedOut, "emu-aarch64 timed out");
            Assert.True(r.Status == 0, r.ToString());
            Assert.Contains("Tests result: SUCCESS", r.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>A theory skipped unless <see cref="CpythonTestSuiteTests.SlowVariable"/> is set.</summary>
public sealed class CpythonSlowTheoryAttribute : TheoryAttribute
{
    public CpythonSlowTheoryAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(CpythonTestSuiteTests.SlowVariable)))
            Skip = $"slow CPython test modules run with {CpythonTestSuiteTests.SlowVariable}=1";
    }
}
