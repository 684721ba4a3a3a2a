using Emu.Cpu;
using Emu.Frontend.Decoder;
using Emu.Frontend.Translation;
using Emu.IR;

namespace Emu.Tests.Frontend;

/// <summary>
/// Decoder tests for the load/store and FP/SIMD lines of the encoding table: words encoded by
/// aarch64-linux-gnu-as (<see cref="SimdLoadStoreDecoderSamples"/>) decode to the expected line and
/// translate without being rejected; every such line has a sample; reserved encodings are rejected.
/// </summary>
public class SimdLoadStoreDecoderTests
{
    private static IEnumerable<Encoding> OwnLines() => A64Encodings.All.Where(e => e.Emit.Method.DeclaringType == typeof(InstEmit));

    public static IEnumerable<object[]> SampleNames() => SimdLoadStoreDecoderSamples.Samples.Keys.Select(k => new object[] { k });

    private static IrBlock Translate(Encoding enc, uint word)
    {
        var block = new IrBlock(0x1000);
        var ir = new IrBuilder(block) { CurrentPc = 0x1000 };
        enc.Emit(new ArmEmitter(ir) { }, word);
        if (!ir.Ended) ir.Jump(0x1004);
        block.Verify();
        return block;
    }

    private static bool IsUndefinedExit(IrBlock block) =>
        block.Terminator.Op == IrOp.Exit && block.Terminator.Imm2 == (ulong)ExitReason.Undefined;

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void SampleWordsDecodeToTheirLineAndTranslate(string name)
    {
        foreach (var (word, asm) in SimdLoadStoreDecoderSamples.Samples[name])
        {
            var enc = Arm64Decoder.Instance.Decode(word);
            Assert.True(enc != null, $"0x{word:x8} ({asm}) does not decode (expected {name})");
            Assert.True(enc.Name == name, $"0x{word:x8} ({asm}) decodes to {enc.Name}, expected {name}");
            Assert.False(IsUndefinedExit(Translate(enc, word)), $"0x{word:x8} ({asm}) translates to an undefined-instruction exit");
        }
    }

    [Fact]
    public void EveryLineHasASample()
    {
        var missing = OwnLines().Select(e => e.Name).Where(n => !SimdLoadStoreDecoderSamples.Samples.ContainsKey(n)).ToList();
        Assert.True(missing.Count == 0, "lines without a sample: " + string.Join(", ", missing));
    }

    [Fact]
    public void NamesAreUnique()
    {
        var duplicates = OwnLines().GroupBy(e => e.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
    }

    [Theory]
    [InlineData(0xb8c00c20u)] // ldrsw to W (size 10, opc 11): unallocated
    [InlineData(0xf8e06820u)] // size 11 opc 11 register offset: unallocated
    [InlineData(0x3ce00c20u)] // ldr q with opc 11 size 00 pre-index is valid; size 01 opc 11 below is not
    [InlineData(0x7ce00c20u)] // FP size 01 opc 11: unallocated
    [InlineData(0xf8a04820u)] // register offset with option 010 is UXTW; option 000 below is reserved
    [InlineData(0xf8a00820u)] // register offset option 000: reserved
    [InlineData(0x68400000u)] // LDPSW with mode 00 (no-allocate): unallocated
    [InlineData(0x69000000u)] // STGP-like opc 01 L 0: not implemented here
    [InlineData(0x4ee08c00u)] // cmtst .2d is valid; .1d (Q=0 size 11) below is reserved
    [InlineData(0x0ee08c00u)] // cmtst v0.1d: reserved
    [InlineData(0x0e083c00u)] // umov with imm5 x1000 and Q=0: reserved (64-bit lane needs Q=1)
    [InlineData(0x6e007c20u)] // ins with imm5 00000: reserved
    [InlineData(0x0cc07000u)] // ld1 post-index with Rm=0 is valid; opcode 0001 below is reserved
    [InlineData(0x0c401000u)] // ld/st multiple opcode 0001: reserved
    [InlineData(0x0d40b400u)] // ld3 single lane, opcode 101 with size 01 (D) and S=1: reserved
    [InlineData(0x0e31b800u)] // addv with size 00 is valid; size 11 below is reserved
    [InlineData(0x0ef1b800u)] // addv size 11: reserved
    public void ReservedWordsAreRejected(uint word)
    {
        var enc = Arm64Decoder.Instance.Decode(word);
        if (enc == null) return;
        bool documentedValid = word is 0x3ce00c20u or 0xf8a04820u or 0x4ee08c00u or 0x0cc07000u or 0x0e31b800u;
        Assert.Equal(!documentedValid, IsUndefinedExit(Translate(enc, word)));
    }
}
