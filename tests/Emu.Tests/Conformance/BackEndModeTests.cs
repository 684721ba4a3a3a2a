namespace Emu.Tests.Conformance;

/// <summary>
/// Runs the small instruction-level test programs with each execution mode forced through the
/// emulator's EMU_* environment variables, so the IR interpreter and the IL compiler (with and
/// without IR optimisation, and with one-instruction blocks) are each checked against the expected
/// output rather than only whichever mix the default tiering picks.
/// </summary>
public sealed class BackEndModeTests
{
    private static readonly string[] s_programs = ["asm_basic", "intops", "ldst", "atomics", "printf_ints", "control", "cxx", "fp_fast", "align_fault", "addr_offsets"];

    private static readonly Dictionary<string, Dictionary<string, string>> s_modes = new(StringComparer.Ordinal)
    {
        ["interpreter-only"] = new() { ["EMU_TIER1_THRESHOLD"] = "-1" },
        ["compile-at-once"] = new() { ["EMU_TIER1_THRESHOLD"] = "0" },
        ["compile-at-once-no-opt"] = new() { ["EMU_TIER1_THRESHOLD"] = "0", ["EMU_NO_OPT"] = "1" },
        ["one-insn-per-tb"] = new() { ["EMU_ONE_INSN_PER_TB"] = "1" },
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string mode in s_modes.Keys)
        {
            // Programs marked pending (testbins/expected/NAME.pending) are known to fail in every mode.
            foreach (string program in s_programs.Where(p => !TestbinTests.IsPending(p)))
                data.Add(mode, program);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TestbinInMode(string mode, string name)
    {
        TestbinTests.AssertMatchesInMode(name, mode, s_modes[mode]);
    }

    [Fact]
    public void ProgramsExist()
    {
        // Guards against a renamed test program silently dropping out of the mode matrix.
        Assert.All(s_programs, p => Assert.Contains(p, TestbinTests.ExpectedNames()));
    }
}
