using System.Text.RegularExpressions;
using Emu.Tests.Conformance;

namespace Emu.Tests.Perf;

/// <summary>
/// Code cache behaviour seen from whole programs: guest code rewritten at run time (IC IVAU), the cache
/// bound (flush-all while code is linked and running), and regions in threaded programs.
/// </summary>
public sealed class CodeCacheTests
{
    private static GuestResult RunEmu(string program, IReadOnlyList<string> args, Dictionary<string, string> env) =>
        GuestRun.Run(RepoLayout.Runner(), RepoLayout.Testbin(program), args, env, RepoLayout.Timeout);

    [Fact]
    public void CodeWrittenThroughASecondMappingRunsAfterClearCache()
    {
        // qemu-aarch64 keeps running the old code here, so the expected sums are the program's own:
        // 300 calls of "mov w0, #3v" for v = 7..26.
        var r = RunEmu("smc", ["dual"], new() { ["EMU_TIER1_THRESHOLD"] = "2" });
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"dual mapping: 20 versions, sum {Enumerable.Range(7, 20).Sum(v => 300L * 3 * v)}", r.StdoutText);
        Assert.Contains("20 checks, 0 failures", r.StdoutText);
    }

    [Theory]
    [InlineData("smc", "48")]
    [InlineData("thread_basic", "300")]
    [InlineData("bytecode", "200")]
    public void ProgramsStayCorrectWhenTheCacheBoundForcesFlushes(string program, string maxBlocks)
    {
        var r = RunEmu(program, [], new() { ["EMU_CACHE_BLOCKS"] = maxBlocks, ["EMU_STATS"] = "1", ["EMU_TIER1_THRESHOLD"] = "2" });
        string expected = File.ReadAllText(Path.Combine(RepoLayout.ExpectedDir, program + ".out"));
        Assert.Equal(expected, r.StdoutText);
        Assert.Equal(0, r.ExitCode);
        var flushes = Regex.Match(r.Stderr, @"code cache flushes (\d+)");
        Assert.True(flushes.Success, "EMU_STATS line missing: " + r.Stderr);
        Assert.True(long.Parse(flushes.Groups[1].Value) > 0, "the bound never flushed the cache: " + r.Stderr);
    }

    [Fact]
    public void ThreadedProgramWithEarlyRegionsJoinsEveryThread()
    {
        // pthread_join hung about every other run while the parent wrote CLONE_PARENT_SETTID after the child
        // could already have exited; three runs with regions formed early catch that almost surely.
        string expected = File.ReadAllText(Path.Combine(RepoLayout.ExpectedDir, "thread_basic.out"));
        for (int i = 0; i < 3; i++)
        {
            var r = GuestRun.Run(RepoLayout.Runner(), RepoLayout.Testbin("thread_basic"), [],
                new Dictionary<string, string> { ["EMU_TIER1_THRESHOLD"] = "2" }, TimeSpan.FromSeconds(60));
            Assert.Equal(expected, r.StdoutText);
            Assert.Equal(0, r.ExitCode);
        }
    }
}
