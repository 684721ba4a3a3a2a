using Emu.Tests.Support;

namespace Emu.Tests.Frontend;

/// <summary>
/// Runs each data-processing instruction of <see cref="DataProcessingReferenceData"/> on every input set
/// through both tiers and compares X0..X7 and NZCV with what qemu-aarch64 produced.
/// </summary>
public class DataProcessingReferenceTests
{
    public static IEnumerable<object[]> Instructions() =>
        DataProcessingReferenceData.Cases.Select(c => c.Asm).Distinct().Select(a => new object[] { a });

    [Theory]
    [MemberData(nameof(Instructions))]
    public void MatchesQemu(string asm)
    {
        foreach (var c in DataProcessingReferenceData.Cases.Where(c => c.Asm == asm))
        {
            var input = DataProcessingReferenceData.Inputs[c.Input];
            CpuTestHarness.RunBothTiers(
                [c.Word],
                h =>
                {
                    for (int r = 0; r < 8; r++) h[r] = input[r];
                    h.Nzcv = input[8];
                },
                h =>
                {
                    Assert.Equal(Emu.Cpu.ExitReason.Breakpoint, h.StopReason);
                    for (int r = 0; r < 8; r++)
                        Assert.True(h[r] == c.Expected[r], $"{asm} input {c.Input}: X{r} = 0x{h[r]:x}, expected 0x{c.Expected[r]:x}");
                    Assert.True(h.Nzcv == c.Expected[8], $"{asm} input {c.Input}: NZCV = 0x{h.Nzcv:x}, expected 0x{c.Expected[8]:x}");
                });
        }
    }
}
