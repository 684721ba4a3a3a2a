using Emu.Cpu;
using Emu.Tests.Support;

namespace Emu.Tests.Frontend;

/// <summary>Reserved data-processing encodings (objdump prints them as "undefined") stop with SIGILL semantics.</summary>
public class DataProcessingUndefinedTests
{
    [Theory]
    [InlineData(0x12400020u)] // logical immediate, 32-bit with N=1
    [InlineData(0x9240fc20u)] // logical immediate, element of all ones
    [InlineData(0x2a028020u)] // orr w0, w1, w2, lsl #32
    [InlineData(0x8bc20020u)] // add (shifted register) with shift type 11
    [InlineData(0x52c00000u)] // movz w0 with hw=2
    [InlineData(0x93000020u)] // sbfm, sf=1 with N=0
    [InlineData(0x13200020u)] // sbfm, 32-bit with immr=32
    [InlineData(0x13828020u)] // extr, 32-bit with lsb=32
    [InlineData(0x8b221420u)] // add (extended register) with shift 5
    [InlineData(0x5ac00c20u)] // rev (64-bit opcode) with sf=0
    public void ReservedEncodingIsUndefined(uint word)
    {
        CpuTestHarness.RunBothTiers([0xd2800020 /* mov x0, #1 */, word], _ => { }, h =>
        {
            Assert.Equal(ExitReason.Undefined, h.StopReason);
            Assert.Equal(CpuTestHarness.CodeBase + 4, h.StopPc);
            Assert.Equal(1UL, h[0]);
        });
    }
}
