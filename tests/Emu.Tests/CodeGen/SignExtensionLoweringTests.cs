using Emu.Tests.Support;

namespace Emu.Tests.CodeGen;

/// <summary>
/// SXTB/SXTH/SXTW to an X register and SBFIZ of a byte, half or word (a signed index scaled up) become one
/// sign-extension op; the W forms keep their zero-extended 32-bit results.
/// </summary>
public sealed class SignExtensionLoweringTests
{
    [Theory]
    [InlineData(0x0123_4567_89AB_CDEFUL, new ulong[]
    {
        0xffffffff89abcdef, 0xffffffffffffffef, 0xffffffffffffcdef, 0xfffffffc4d5e6f78,
        0xffffffffffffffbc, 0xfffffffffffcdef0, 0xffffffef, 0xffffffde,
    })]
    [InlineData(0x7F7F_7F7F_1234_5678UL, new ulong[] { 0x12345678, 0x78, 0x5678, 0x91a2b3c0, 0x1e0, 0x56780, 0x78, 0xf0 })]
    public void SignExtensionsAndScaledSignedFields(ulong x1, ulong[] expected)
    {
        // SXTW x3, w1; SXTB x4, w1; SXTH x5, w1; SBFIZ x6, x1, #3, #32; SBFIZ x7, x1, #2, #8;
        // SBFIZ x8, x1, #4, #16; SXTB w9, w1; SBFIZ w10, w1, #1, #8
        uint[] code = [0x93407c23, 0x93401c24, 0x93403c25, 0x937d7c26, 0x937e1c27, 0x937c3c28, 0x13001c29, 0x131f1c2a];
        CpuTestHarness.RunWithResultRegisters(code, x1, 0, expected);
    }
}
