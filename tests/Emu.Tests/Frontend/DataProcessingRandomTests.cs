using Emu.Cpu;
using Emu.Frontend.Decoder;
using Emu.Tests.Support;

namespace Emu.Tests.Frontend;

/// <summary>
/// Random words of every data-processing table line (<see cref="DataProcessingRandomData"/>), run through both
/// tiers: defined words must leave X0..X7 and NZCV as qemu-aarch64 did, undefined ones must stop as undefined.
/// </summary>
public class DataProcessingRandomTests
{
    public static IEnumerable<object[]> Lines() =>
        DataProcessingRandomData.Cases.Select(c => c.Line).Distinct().Select(l => new object[] { l });

    [Theory]
    [MemberData(nameof(Lines))]
    public void MatchesQemu(string line)
    {
        foreach (var c in DataProcessingRandomData.Cases.Where(c => c.Line == line))
        {
            if (c.Expected != null) Assert.Equal(line, Arm64Decoder.Instance.Decode(c.Word)?.Name);
            CpuTestHarness.RunBothTiers(
                [c.Word],
                h =>
                {
                    for (int r = 0; r < 8; r++) h[r] = c.Input[r];
                    h.Nzcv = c.Input[8];
                },
                h =>
                {
                    string what = $"0x{c.Word:x8} ({c.Text})";
                    if (c.Expected == null)
                    {
                        Assert.True(h.StopReason == ExitReason.Undefined, $"{what}: expected undefined, stopped with {h.StopReason}");
                        return;
                    }
                    Assert.True(h.StopReason == ExitReason.Breakpoint, $"{what}: stopped with {h.StopReason}");
                    for (int r = 0; r < 8; r++)
                        Assert.True(h[r] == c.Expected[r], $"{what}: X{r} = 0x{h[r]:x}, expected 0x{c.Expected[r]:x}");
                    Assert.True(h.Nzcv == c.Expected[8], $"{what}: NZCV = 0x{h.Nzcv:x}, expected 0x{c.Expected[8]:x}");
                });
        }
    }
}
