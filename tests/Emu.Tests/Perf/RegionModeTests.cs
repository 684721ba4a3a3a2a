using Emu.Tests.Conformance;

namespace Emu.Tests.Perf;

/// <summary>
/// Runs test programs with Tier 1 region formation pushed to its edges (regions formed after two cold
/// runs, regions cut to a few blocks, regions off) and checks the committed expected output, so
/// in-region branches, register write-back at region exits and single-block compiles are all exercised.
/// </summary>
public sealed class RegionModeTests
{
    private static readonly string[] s_programs = ["intops", "ldst", "atomics", "control", "cxx", "crc32", "bytecode", "indirect"];

    private static readonly Dictionary<string, Dictionary<string, string>> s_modes = new(StringComparer.Ordinal)
    {
        ["regions-early"] = new() { ["EMU_TIER1_THRESHOLD"] = "2" },
        ["regions-small"] = new() { ["EMU_TIER1_THRESHOLD"] = "2", ["EMU_REGION_INSNS"] = "40" },
        ["regions-off"] = new() { ["EMU_TIER1_THRESHOLD"] = "2", ["EMU_REGION_BLOCKS"] = "0" },
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string mode in s_modes.Keys)
            foreach (string program in s_programs.Where(p => !TestbinTests.IsPending(p)))
                data.Add(mode, program);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TestbinWithRegions(string mode, string name)
    {
        TestbinTests.AssertMatchesInMode(name, mode, s_modes[mode]);
    }
}
