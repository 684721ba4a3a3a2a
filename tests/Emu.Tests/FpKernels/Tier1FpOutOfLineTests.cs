using Emu.Cpu;
using Emu.Frontend.Decoder;
using Emu.Frontend.Translation;
using Emu.IR;
using Emu.IR.Passes;
using Emu.Jit;
using Emu.Tests.Backend;
using Emu.Tests.Support;

namespace Emu.Tests.FpKernels;

/// <summary>
/// Tier 1 FP operations as host arithmetic with the exact helper out of line, and scalar FP values kept as
/// host doubles/floats between instructions: results, NaN propagation, default NaN, flush to zero, rounding
/// modes and FPSR flags must match the cold tier and the ARM ARM, on the fast path (FPSR.IXC already set)
/// and on the exact path (IXC clear or FPCR not default). Expected values are worked out by hand and the
/// FZ/DN/rounding cases were checked against qemu-aarch64.
/// </summary>
public unsafe class Tier1FpOutOfLineTests
{
    private const ulong Ioc = 1, Ofc = 4, Ufc = 8, Ixc = 16;
    private const ulong Fz = 1UL << 24, Dn = 1UL << 25, RModePlus = 1UL << 22;
    private const ulong One = 0x3ff0000000000000, Two = 0x4000000000000000;

    // fadd d0,d1,d2; fmul d3,d0,d0; fsqrt d4,d3; fdiv d5,d4,d1; fmadd d6,d0,d1,d2; fmov x7,d6; str d5,[x9];
    // fnmul d8,d0,d1; fmsub d10,d0,d1,d2; fadd s11,s12,s13; fmul s14,s11,s11; fcvt d15,s14; fcvt s16,d15;
    // fsub s17,s16,s12; fdiv s18,s17,s13; fsqrt s19,s14; fmov w20,s19; fnmadd d21,d0,d1,d2
    private static readonly uint[] Chain =
    [
        0x1e622820, 0x1e600803, 0x1e61c064, 0x1e611885, 0x1f410806, 0x9e6600c7, 0xfd000125,
        0x1e618808, 0x1f41880a, 0x1e2d298b, 0x1e2b096e, 0x1e22c1cf, 0x1e6241f0,
        0x1e2c3a11, 0x1e2d1a32, 0x1e21c1d3, 0x1e260274, 0x1f610815,
    ];

    private static void Run(uint[] code, Action<CpuTestHarness> setup, Action<CpuTestHarness> check) =>
        CpuTestHarness.RunBothTiers(code, setup, h =>
        {
            Assert.Equal(ExitReason.Breakpoint, h.StopReason);
            check(h);
        });

    [Theory]
    [InlineData(Ixc)] // the host path
    [InlineData(0UL)] // IXC clear: every operation takes the exact path
    public void ChainOfScalarOperationsKeepsExactBits(ulong fpsr)
    {
        Run(Chain, h =>
        {
            h.SetV(1, Two, 0x1111); // 2.0
            h.SetV(2, One, 0x2222); // 1.0
            h.SetV(12, 0x3fc00000, 0); // 1.5f
            h.SetV(13, 0x3f000000, 0); // 0.5f
            h[9] = CpuTestHarness.DataBase;
            h.Ctx->Fpsr = fpsr;
        }, h =>
        {
            Assert.Equal(0x4008000000000000UL, h.VLow(0)); // 3
            Assert.Equal(0UL, h.VHigh(0));
            Assert.Equal(0x4022000000000000UL, h.VLow(3)); // 9
            Assert.Equal(0x4008000000000000UL, h.VLow(4)); // sqrt 9
            Assert.Equal(0x3ff8000000000000UL, h.VLow(5)); // 3 / 2
            Assert.Equal(0x401c000000000000UL, h.VLow(6)); // 1 + 3 * 2
            Assert.Equal(0x401c000000000000UL, h[7]);
            Assert.Equal(0x3ff8000000000000UL, h.Memory.Read<ulong>(CpuTestHarness.DataBase));
            Assert.Equal(0xc018000000000000UL, h.VLow(8)); // -(3 * 2)
            Assert.Equal(0xc014000000000000UL, h.VLow(10)); // 1 - 3 * 2
            Assert.Equal(0x40000000UL, h.VLow(11)); // 2f, upper bits clear
            Assert.Equal(0x40800000UL, h.VLow(14)); // 4f
            Assert.Equal(0x4010000000000000UL, h.VLow(15)); // 4.0
            Assert.Equal(0x40800000UL, h.VLow(16));
            Assert.Equal(0x40200000UL, h.VLow(17)); // 2.5f
            Assert.Equal(0x40a00000UL, h.VLow(18)); // 5f
            Assert.Equal(0x40000000UL, h.VLow(19)); // sqrt 4f
            Assert.Equal(0UL, h.VHigh(19));
            Assert.Equal(0x40000000UL, h[20]);
            Assert.Equal(0xc01c000000000000UL, h.VLow(21)); // -1 - 3 * 2
            Assert.Equal(fpsr, h.Ctx->Fpsr); // all exact: no flag raised
        });
    }

    [Theory]
    [InlineData(0UL, 0x7ff8000000000002UL)] // the signalling NaN's payload, quietened
    [InlineData(Dn, 0x7ff8000000000000UL)] // default NaN
    public void NaNsPropagateThroughTheChainAsOnArm(ulong fpcr, ulong nan)
    {
        // d1 is a signalling NaN: every double result is a NaN. The fused forms negate their operands before
        // picking a NaN, so the signalling d1 wins with its own sign; FNMUL negates the NaN it returns. The
        // single-precision half of the chain sees ordinary numbers.
        Run(Chain, h =>
        {
            h.SetV(1, 0x7ff0000000000002, 0);
            h.SetV(2, One, 0);
            h.SetV(12, 0x3fc00000, 0);
            h.SetV(13, 0x3f000000, 0);
            h[9] = CpuTestHarness.DataBase;
            h.Ctx->Fpcr = fpcr;
            h.Ctx->Fpsr = Ixc;
        }, h =>
        {
            foreach (int d in new[] { 0, 3, 4, 5, 6, 10, 21 }) Assert.Equal(nan, h.VLow(d));
            Assert.Equal(nan, h[7]);
            Assert.Equal(nan | 1UL << 63, h.VLow(8));
            Assert.Equal(0x40a00000UL, h.VLow(18));
            Assert.Equal(Ixc | Ioc, h.Ctx->Fpsr);
        });
    }

    [Fact]
    public void FlushToZeroReplacesATinyProductAndRaisesOnlyUnderflow()
    {
        // fmul d0,d1,d2: 2^-1000 * 2^-30 = 2^-1030, a subnormal: +0 with UFC only under FZ (as qemu-aarch64
        // gives); fadd d0,d0,d2: 0 + 2^-30, exact.
        Run([0x1e620820, 0x1e622800], h =>
        {
            h.SetV(1, 0x0170000000000000, 0);
            h.SetV(2, 0x3e10000000000000, 0);
            h.Ctx->Fpcr = Fz;
        }, h =>
        {
            Assert.Equal(0x3e10000000000000UL, h.VLow(0));
            Assert.Equal(Ufc, h.Ctx->Fpsr);
        });
    }

    [Fact]
    public void WithoutFlushToZeroATinyExactProductIsKept()
    {
        // fmul d0,d1,d2; fmul d3,d1,d2 with d2 = 2^-30: the exact subnormal 2^-1030, no flag.
        Run([0x1e620820, 0x1e620823], h =>
        {
            h.SetV(1, 0x0170000000000000, 0);
            h.SetV(2, 0x3e10000000000000, 0);
            h.Ctx->Fpsr = Ixc;
        }, h =>
        {
            Assert.Equal(0x0000100000000000UL, h.VLow(0));
            Assert.Equal(0x0000100000000000UL, h.VLow(3));
            Assert.Equal(Ixc, h.Ctx->Fpsr);
        });
    }

    [Fact]
    public void OverflowGivesInfinityWithOverflowAndInexact()
    {
        // fmul d0,d1,d2: 2^1023 * 2 overflows; then fadd d0,d0,d2 keeps the infinity.
        Run([0x1e620820, 0x1e622800], h =>
        {
            h.SetV(1, 0x7fe0000000000000, 0);
            h.SetV(2, Two, 0);
            h.Ctx->Fpsr = Ixc;
        }, h =>
        {
            Assert.Equal(0x7ff0000000000000UL, h.VLow(0));
            Assert.Equal(Ixc | Ofc, h.Ctx->Fpsr);
        });
    }

    [Fact]
    public void RoundingModeWrittenInAnotherBlockOfTheLoopApplies()
    {
        // 0: fadd d0,d0,d2; 4: b 8; 8: msr fpcr,x1; c: subs x2,x2,#1; 10: b.ne 0. The first trip adds
        // 2^-60 to 1 to nearest (1); the second, after FPCR.RMode = +infinity, rounds up to the next double.
        Run([0x1e622800, 0x14000001, 0xd51b4401, 0xf1000442, 0x54ffff81], h =>
        {
            h.SetV(0, One, 0);
            h.SetV(2, 0x3c30000000000000, 0);
            h[1] = RModePlus;
            h[2] = 2;
            h.Ctx->Fpsr = Ixc;
        }, h =>
        {
            Assert.Equal(One + 1, h.VLow(0));
            Assert.Equal(RModePlus, h.Ctx->Fpcr);
            Assert.Equal(0UL, h[2]);
        });
    }

    [Fact]
    public void VectorOperationsTakeTheExactPathForTheLanesThatNeedIt()
    {
        // fmul v0.4s,v1.4s,v2.4s; fmla v3.4s,v0.4s,v2.4s; fadd v4.2d,v5.2d,v6.2d; fmla v4.2s,v1.2s,v2.2s
        Run([0x6e22dc20, 0x4e22cc03, 0x4e66d4a4, 0x0e22cc24], h =>
        {
            h.SetV(1, 0x400000003f800000, 0x404000007f800001); // 1, 2, sNaN, 3
            h.SetV(2, 0x4000000040000000, 0x4000000040000000); // 2 in every lane
            h.SetV(3, 0x3f8000003f800000, 0x3f8000003f800000); // 1 in every lane
            h.SetV(5, One, 0x7fe0000000000000);
            h.SetV(6, Two, 0x7fe0000000000000);
            h.Ctx->Fpsr = Ixc;
        }, h =>
        {
            Assert.Equal(0x4080000040000000UL, h.VLow(0)); // 2, 4
            Assert.Equal(0x40c000007fc00001UL, h.VHigh(0)); // quiet NaN, 6
            Assert.Equal(0x4110000040a00000UL, h.VLow(3)); // 5, 9
            Assert.Equal(0x415000007fc00001UL, h.VHigh(3)); // NaN, 13
            // v4 = (3.0, +inf), then its low lanes (0f, 2.125f) + (1*2, 2*2); the top half cleared.
            Assert.Equal(0x40c4000040000000UL, h.VLow(4));
            Assert.Equal(0UL, h.VHigh(4));
            Assert.Equal(Ixc | Ioc | Ofc, h.Ctx->Fpsr);
        });
    }
}

/// <summary>
/// The FP fast-path test in a Tier 1 region: evaluated once while the loop runs, it must be evaluated again
/// after an MSR FPCR in another block of the loop (a stale test would round to nearest).
/// </summary>
public unsafe class Tier1FpRegionTests
{
    private const ulong Base = IrMachine.DataBase;

    private static IrBlock[] Translate(uint[] words, params ulong[] starts)
    {
        var translator = new BlockTranslator(Arm64Decoder.Instance, (ulong address, out uint w) =>
        {
            w = words[(address - Base) / 4];
            return true;
        });
        return starts.Select(pc =>
        {
            var block = translator.Translate(Base + pc);
            IrOptimizer.Run(block);
            return block;
        }).ToArray();
    }

    [Theory]
    [InlineData(1UL << 22, 0x3ff0000000000001UL)] // the second trip rounds toward +infinity: the next double
    [InlineData(0UL, 0x3ff0000000000000UL)] // FPCR stays default: both trips round to nearest
    public void RoundingModeWrittenInAnotherBlockOfTheLoopApplies(ulong fpcr, ulong expected)
    {
        // 0: fadd d0,d0,d2; 4: b 8 | 8: msr fpcr,x1; c: subs x2,x2,#1; 10: b.ne 0 | 14: brk
        uint[] words = [0x1e622800, 0x14000001, 0xd51b4401, 0xf1000442, 0x54ffff81, 0xd4200000];
        var code = IlCompiler.CompileRegion(Translate(words, 0, 8));
        Assert.NotNull(code);
        using var m = new IrMachine();
        m.Ctx->V[0] = 0x3ff0000000000000; // 1
        m.Ctx->V[4] = 0x3c30000000000000; // 2^-60
        m.Ctx->X[1] = fpcr;
        m.Ctx->X[2] = 2;
        m.Ctx->Fpsr = 16; // IXC: the host path is open until FPCR changes
        Assert.Equal(Base + 0x14, code!(m.Ctx));
        Assert.Equal(expected, m.Ctx->V[0]);
        Assert.Equal(fpcr, m.Ctx->Fpcr);
        Assert.Equal(16UL, m.Ctx->Fpsr);
    }
}
