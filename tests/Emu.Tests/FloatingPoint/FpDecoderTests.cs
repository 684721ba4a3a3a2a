using Emu.Frontend.Decoder;
using Emu.Frontend.Translation;
using Emu.IR;

namespace Emu.Tests.FloatingPoint;

/// <summary>Every FP scalar table line decodes its assembler-encoded samples and translates them; reserved forms are undefined.</summary>
public class FpDecoderTests
{
    private static IEnumerable<Encoding> OwnLines() =>
        A64Encodings.All.Where(e => e.Emit.Method.DeclaringType == typeof(InstEmitFloatingPoint));

    public static IEnumerable<object[]> SampleNames() => FpDecoderSamples.Samples.Keys.Select(k => new object[] { k });

    private static IrBlock Translate(Encoding enc, uint word)
    {
        var block = new IrBlock(0x1000);
        var ir = new IrBuilder(block) { CurrentPc = 0x1000 };
        enc.Emit(new ArmEmitter(ir), word);
        return block;
    }

    private static bool EndsUndefined(IrBlock block) =>
        block.Insts.Count > 0 && block.Insts[^1].Op == IrOp.Exit && block.Insts[^1].Imm2 == (ulong)Emu.Cpu.ExitReason.Undefined;

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void SamplesDecodeToTheirLine(string name)
    {
        foreach (var (word, asm) in FpDecoderSamples.Samples[name])
        {
            var enc = Arm64Decoder.Instance.Decode(word);
            Assert.True(enc != null, $"{asm} (0x{word:x8}) does not decode");
            Assert.Equal(name, enc!.Name);
            Assert.False(EndsUndefined(Translate(enc, word)), $"{asm} translated as undefined");
        }
    }

    [Fact]
    public void EveryLineHasASample()
    {
        var missing = OwnLines().Select(e => e.Name).Where(n => !FpDecoderSamples.Samples.ContainsKey(n)).ToList();
        Assert.True(missing.Count == 0, "lines without a sample: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData(0x1ea22820u)] // fadd with ftype 10: reserved
    [InlineData(0x1e224020u)] // fcvt s0, s1 (same precision): unallocated
    [InlineData(0x1ee84020u)] // frint32z with half precision: unallocated
    [InlineData(0x1e186020u)] // fcvtzs w0, s1, #fbits with scale < 32: unallocated
    public void ReservedFormsAreUndefined(uint word)
    {
        var enc = Arm64Decoder.Instance.Decode(word);
        Assert.True(enc == null || EndsUndefined(Translate(enc, word)), $"0x{word:x8} decoded as {enc?.Name}");
    }
}
