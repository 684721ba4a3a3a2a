using Emu.Tests.Support;

namespace Emu.Tests.Frontend;

/// <summary>
/// Runs each load/store and SIMD case of <see cref="SimdLoadStoreReferenceData"/> on every input set
/// through both tiers and compares X0..X7, V0..V7 and the data area with what qemu-aarch64 produced.
/// </summary>
public class SimdLoadStoreReferenceTests
{
    /// <summary>The initial content of the data area (the generator fills it the same way).</summary>
    private static readonly byte[] Pattern = Enumerable.Range(0, (int)CpuTestHarness.DataSize).Select(i => (byte)(i * 37 + (i >> 8) + 1)).ToArray();

    public static IEnumerable<object[]> Instructions() =>
        SimdLoadStoreReferenceData.Cases.Select(c => c.Asm).Distinct().Select(a => new object[] { a });

    [Theory]
    [MemberData(nameof(Instructions))]
    public void MatchesQemu(string asm)
    {
        foreach (var c in SimdLoadStoreReferenceData.Cases.Where(c => c.Asm == asm))
        {
            var input = SimdLoadStoreReferenceData.Inputs[c.Input];
            var expectedMemory = (byte[])Pattern.Clone();
            for (int i = 0; i < c.Changed.Length; i += 2) expectedMemory[c.Changed[i]] = (byte)c.Changed[i + 1];
            CpuTestHarness.RunBothTiers(
                c.Words,
                h =>
                {
                    Pattern.CopyTo(h.Memory.GetSpan(CpuTestHarness.DataBase, Pattern.Length));
                    for (int r = 0; r < 8; r++) h[r] = input[r];
                    for (int v = 0; v < 8; v++) h.SetV(v, input[8 + 2 * v], input[9 + 2 * v]);
                },
                h =>
                {
                    Assert.Equal(Emu.Cpu.ExitReason.Breakpoint, h.StopReason);
                    for (int r = 0; r < 8; r++)
                        Assert.True(h[r] == c.Expected[r], $"{asm} input {c.Input}: X{r} = 0x{h[r]:x}, expected 0x{c.Expected[r]:x}");
                    for (int v = 0; v < 8; v++)
                    {
                        ulong lo = c.Expected[8 + 2 * v], hi = c.Expected[9 + 2 * v];
                        Assert.True(h.VLow(v) == lo && h.VHigh(v) == hi,
                            $"{asm} input {c.Input}: V{v} = 0x{h.VHigh(v):x16}_{h.VLow(v):x16}, expected 0x{hi:x16}_{lo:x16}");
                    }
                    var memory = h.Memory.GetSpan(CpuTestHarness.DataBase, Pattern.Length);
                    int diff = memory.CommonPrefixLength(expectedMemory);
                    Assert.True(diff == Pattern.Length,
                        $"{asm} input {c.Input}: data byte 0x{diff:x} = 0x{(diff < Pattern.Length ? memory[diff] : 0):x}, expected 0x{(diff < Pattern.Length ? expectedMemory[diff] : 0):x}");
                });
        }
    }
}
