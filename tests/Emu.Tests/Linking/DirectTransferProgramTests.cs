using System.Text.RegularExpressions;
using Emu.Tests.Conformance;

namespace Emu.Tests.Linking;

/// <summary>
/// testbins/src/linking.c under the translator with Tier 1 code transferring straight into Tier 1 code:
/// longjmp past pending returns, recursion deeper than a return stack, code rewritten after it ran hot and
/// was linked, a SIGALRM ending two functions that tail-call each other forever, and a fault in a callee
/// reached from a hot loop (PC, fault address and a register checked by the guest's handler). Later rounds
/// run hot translated code; every round must report what qemu-aarch64 reported for one (expected/linking.out).
/// </summary>
public sealed partial class DirectTransferProgramTests
{
    private static readonly Dictionary<string, string> Stats = new() { ["EMU_STATS"] = "1" };

    [Theory]
    [InlineData("-1", "1")] // cold tier only
    [InlineData("0", "6")] // Tier 1 queued at a block's first run
    [InlineData(null, "6")] // the default threshold: later rounds are hot
    public void EveryRoundMatchesTheReference(string? tier1Threshold, string rounds)
    {
        if (RepoLayout.RunnerOverridden) return; // translator options
        string[] options = tier1Threshold == null ? [] : ["-tier1-threshold", tier1Threshold];
        GuestResult r = GuestRun.Run(RepoLayout.Runner(), options, RepoLayout.Testbin("linking"), [rounds], Stats, RepoLayout.Timeout);
        string expected = File.ReadAllText(Path.Combine(RepoLayout.ExpectedDir, "linking.out"));
        Assert.Equal(expected, r.StdoutText);
        Assert.Equal(0, r.ExitCode);
        if (tier1Threshold != "-1")
        {
            // The rounds after the first must have gone from Tier 1 code to Tier 1 code directly.
            var m = TransferCounts().Match(r.Stderr);
            Assert.True(m.Success, r.Stderr);
            Assert.True(long.Parse(m.Groups[1].Value) > 0, r.Stderr);
            // (heavy_a and heavy_b, too large for one region, usually return through the return-address
            // prediction too: m.Groups[2]; not asserted, as it depends on when the background compiles finish.)
        }
    }

    [GeneratedRegex(@"\(direct (\d+), predicted returns (\d+)\)")]
    private static partial Regex TransferCounts();
}
