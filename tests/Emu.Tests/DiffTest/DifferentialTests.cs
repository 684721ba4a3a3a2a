using Emu.DiffTest;
using Emu.Frontend.Decoder;
using Emu.Tests.Conformance;
using Xunit.Abstractions;

namespace Emu.Tests.DiffTest;

/// <summary>
/// Random instruction sequences from the encoding table, run under emu-aarch64 and qemu-aarch64 with a
/// fixed seed per category; any difference outside docs/difftest-exceptions.md fails. `scripts/difftest`
/// runs the same generator with any seed and count.
/// </summary>
public class DifferentialTests(ITestOutputHelper output)
{
    private const int Seed = 20261206;
    private const int CasesPerCategory = 800;

    /// <summary>Every category the generator can draw from (all but branches/exceptions/system), so groups
    /// merged later are covered without editing this list.</summary>
    public static TheoryData<string, string> Categories()
    {
        var data = new TheoryData<string, string>();
        foreach (string category in A64Encodings.All.Select(EncodingCategories.Of).Distinct().Where(c => c != "control").Order(StringComparer.Ordinal))
            foreach (string tier in s_tiers.Keys)
                data.Add(category, tier);
        return data;
    }

    /// <summary>Each case's code runs once, so by default only the IR interpreter would see it; the
    /// second mode compiles every block with Tier 1 first.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> s_tiers = new(StringComparer.Ordinal)
    {
        ["interpreter"] = new() { ["EMU_TIER1_THRESHOLD"] = "-1" },
        ["tier1"] = new() { ["EMU_TIER1_THRESHOLD"] = "0" },
    };

    [Theory]
    [MemberData(nameof(Categories))]
    public void MatchesQemu(string category, string tier)
    {
        string? qemu = RepoLayout.FindQemu();
        Assert.True(qemu != null, "qemu-aarch64 is not installed (scripts/test installs qemu-user); it is the reference for this test");
        var options = new DiffOptions
        {
            Seed = Seed + category.Sum(c => c),
            Count = CasesPerCategory,
            Categories = new HashSet<string> { category },
            Emulator = RepoLayout.Runner(),
            EmulatorEnvironment = s_tiers[tier],
            Reference = qemu,
        };
        var result = new DiffRunner(options).Run();
        output.WriteLine(result.Summary());
        foreach (string mismatch in result.Mismatches.Take(20))
            output.WriteLine(mismatch);
        Assert.True(result.Compared >= CasesPerCategory, $"only {result.Compared} of {CasesPerCategory} cases ran");
        Assert.True(result.Mismatches.Count == 0,
            $"{category}: {result.Mismatches.Count} of {result.Compared} cases differ from qemu-aarch64; first:\n{string.Join("\n", result.Mismatches.Take(5))}");
    }

    [Fact]
    public void DetectsACorruptedRegister()
    {
        // The harness itself: a reference that differs in one register must produce exactly one mismatch.
        string? qemu = RepoLayout.FindQemu();
        Assert.True(qemu != null, "qemu-aarch64 is not installed");
        var options = new DiffOptions
        {
            Seed = 7,
            Count = 5,
            Categories = new HashSet<string> { "int" },
            Emulator = qemu,
            Reference = qemu,
            // Flips one bit of X5 in the third case's output record.
            TransformReferenceOutput = bytes =>
            {
                bytes[2 * StateLayout.OutputSize + StateLayout.X(5)] ^= 4;
                return bytes;
            },
        };
        var result = new DiffRunner(options).Run();
        Assert.Equal(5, result.Compared);
        Assert.Single(result.Mismatches);
        Assert.StartsWith("case 2 (seed 7): X5 differs", result.Mismatches[0]);
    }
}
