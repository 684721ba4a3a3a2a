using Emu.Cpu;
using Emu.IR;
using Emu.Jit;
using Emu.Tests.Support;

namespace Emu.Tests.ColdTier;

/// <summary>
/// The cold tier fuses constants into immediates, Add.64-of-a-constant addresses into its loads and stores,
/// and a register read into the add using it. Each form is run through both tiers (one block, so the fusions
/// apply) and checked against values computed by hand.
/// </summary>
public unsafe class FusedOpTests
{
    private const ulong X0 = 0x8000_0001_F234_5678;
    private const ulong X1 = CpuTestHarness.DataBase + 0x100;

    private static readonly uint[] Code =
    [
        0x91016002, // add x2, x0, #0x58
        0x51001403, // sub w3, w0, #0x5
        0x92781c04, // and x4, x0, #0xff00
        0x321c0c05, // orr w5, w0, #0xf0
        0xd2103c06, // eor x6, x0, #0xffff0000ffff0000
        0xd374cc07, // lsl x7, x0, #12
        0x53037c08, // lsr w8, w0, #3
        0x937cfc09, // asr x9, x0, #60
        0x131f7c0a, // asr w10, w0, #31
        0xf100401f, // cmp x0, #0x10
        0x9a9f97eb, // cset x11, hi
        0x3100041f, // cmn w0, #0x1
        0x9a9f17ec, // cset x12, eq
        0xf940082d, // ldr x13, [x1, #16]
        0x39400c2e, // ldrb w14, [x1, #3]
        0x79400c2f, // ldrh w15, [x1, #6]
        0xb9400430, // ldr w16, [x1, #4]
        0xf9000c20, // str x0, [x1, #24]
        0x39008420, // strb w0, [x1, #33]
        0x79004420, // strh w0, [x1, #34]
        0xb9002420, // str w0, [x1, #36]
        0x3dc00420, // ldr q0, [x1, #16]
        0x3d800c20, // str q0, [x1, #48]
        0xf85f8031, // ldur x17, [x1, #-8]
        0xaa0003f2, // mov x18, x0   (x18 = old x0; the copy is overwritten below, so only the add reads it)
        0xd28000a0, // mov x0, #5    (x0 changes between the read of old x0 and its use)
        0x91002252, // add x18, x18, #0x8
        0x91010033, // add x19, x1, #0x40
        0xf9400274, // ldr x20, [x19]
        0x91000675, // add x21, x19, #0x1
        0x8b020037, // add x23, x1, x2
        0x91000f38, // add x24, x25, #0x3
        0xaa1b03fa, // mov x26, x27
        0xaa1b03fd, // mov x29, x27  (dead: overwritten below, so the old x27 is read once, by mov x28, x29)
        0xd280013b, // mov x27, #9   (x27 changes before that read's value is written to x28)
        0xaa1d03fc, // mov x28, x29
        0xd280003d, // mov x29, #1
    ];

    // Data byte i (from DataBase) is (i * 7 + 3) & 0xff.
    private static void FillData(CpuTestHarness h)
    {
        var data = h.Memory.GetSpan(CpuTestHarness.DataBase, (int)CpuTestHarness.DataSize);
        for (int i = 0; i < data.Length; i++) data[i] = (byte)(i * 7 + 3);
    }

    [Fact]
    public void FusedFormsMatchHandComputedResultsInBothTiers()
    {
        CpuTestHarness.RunBothTiers(Code, h =>
        {
            FillData(h);
            h[0] = X0;
            h[1] = X1;
            h[25] = 0x1000;
            h[27] = 0x7777;
        }, h =>
        {
            Assert.Equal(ExitReason.Breakpoint, h.StopReason);
            Assert.Equal(0x8000_0001_F234_56D0UL, h[2]);
            Assert.Equal(0xF234_5673UL, h[3]);
            Assert.Equal(0x5600UL, h[4]);
            Assert.Equal(0xF234_56F8UL, h[5]);
            Assert.Equal(0x7FFF_0001_0DCB_5678UL, h[6]);
            Assert.Equal(0x1F23_4567_8000UL, h[7]);
            Assert.Equal(0x1E46_8ACFUL, h[8]);
            Assert.Equal(0xFFFF_FFFF_FFFF_FFF8UL, h[9]);
            Assert.Equal(0xFFFF_FFFFUL, h[10]);
            Assert.Equal(1UL, h[11]);
            Assert.Equal(0UL, h[12]);
            Assert.Equal(0xA49D_968F_8881_7A73UL, h[13]);
            Assert.Equal(0x18UL, h[14]);
            Assert.Equal(0x342DUL, h[15]);
            Assert.Equal(0x342D_261FUL, h[16]);
            Assert.Equal(0xFCF5_EEE7_E0D9_D2CBUL, h[17]);
            Assert.Equal(0x8000_0001_F234_5680UL, h[18]);
            Assert.Equal(5UL, h[0]);
            Assert.Equal(X1 + 64, h[19]);
            Assert.Equal(0xF4ED_E6DF_D8D1_CAC3UL, h[20]);
            Assert.Equal(X1 + 65, h[21]);
            Assert.Equal(X1 + 0x8000_0001_F234_56D0UL, h[23]);
            Assert.Equal(0x1003UL, h[24]);
            Assert.Equal(0x7777UL, h[26]);
            Assert.Equal(9UL, h[27]);
            Assert.Equal(0x7777UL, h[28]);
            Assert.Equal(1UL, h[29]);
            var m = h.Memory.GetSpan(X1, 64);
            Assert.Equal(X0, BitConverter.ToUInt64(m[24..]));
            Assert.Equal(0x78, m[33]);
            Assert.Equal(0x5678, BitConverter.ToUInt16(m[34..]));
            Assert.Equal(0xF234_5678U, BitConverter.ToUInt32(m[36..]));
            Assert.Equal(0xA49D_968F_8881_7A73UL, h.VLow(0));
            Assert.Equal(X0, h.VHigh(0));
            Assert.Equal(0xA49D_968F_8881_7A73UL, BitConverter.ToUInt64(m[48..]));
            Assert.Equal(X0, BitConverter.ToUInt64(m[56..]));
        });
    }

    [Fact]
    public void ExitCarriesReasonInfoAndPc()
    {
        var block = new IrBlock(0x4000);
        var ir = new IrBuilder(block);
        ir.SetReg(3, ir.Add(ir.GetReg(3), ir.Const(0x10UL)));
        ir.Exit(ExitReason.Breakpoint, 0x4004, 0xBEEF);
        block.Renumber();
        var cold = InterpretedBlock.Prepare(block);
        // GetReg, Const, Add and SetReg are one op reading x3 with the constant as its immediate and writing x3.
        Assert.Equal(2, cold.OpCount);
        Assert.Equal(0, cold.ConstantCount);
        var ctx = CpuContext.Allocate();
        try
        {
            ctx->X[3] = 0x100;
            ulong next = cold.Execute(ctx);
            Assert.Equal(0x4004UL, next);
            Assert.Equal(ExitReason.Breakpoint, ctx->Exit);
            Assert.Equal(0xBEEF, ctx->ExitInfo);
            Assert.Equal(0x110UL, ctx->X[3]);
        }
        finally
        {
            CpuContext.Free(ctx);
        }
    }

    [Fact]
    public void AddressAddIsFoldedIntoTheAccesses()
    {
        // x7 = [x1 + 8] + [x1 + 8 as a byte]; the address add exists only inside the two loads.
        var block = new IrBlock(0x4000);
        var ir = new IrBuilder(block);
        var address = ir.Add(ir.GetReg(1), ir.Const(8UL));
        ir.SetReg(7, ir.Add(ir.Load(address, 8), ir.Load(address, 1)));
        ir.Store(address, ir.Const(0x55UL), 2);
        ir.Jump(0x5000);
        block.Renumber();
        var cold = InterpretedBlock.Prepare(block);
        Assert.Equal(6, cold.OpCount); // GetReg, 2 loads, add writing x7, store, jump
        Assert.Equal(1, cold.ConstantCount); // the stored value
        using var memory = new Emu.Memory.GuestMemory(32);
        memory.MapFixed(0x10000, 0x1000, Emu.Memory.GuestProt.Read | Emu.Memory.GuestProt.Write, "data");
        var bytes = memory.GetSpan(0x10008, 8);
        for (int i = 0; i < 8; i++) bytes[i] = (byte)(0x11 * (i + 1));
        var ctx = CpuContext.Allocate();
        try
        {
            ctx->MemBase = (ulong)memory.Base;
            ctx->MemMask = memory.Mask;
            ctx->X[1] = 0x10000;
            Assert.Equal(0x5000UL, cold.Execute(ctx));
            Assert.Equal(0x8877_6655_4433_2211UL + 0x11, ctx->X[7]);
            Assert.Equal(0x55, memory.GetSpan(0x10008, 2)[0]);
            Assert.Equal(0, memory.GetSpan(0x10008, 2)[1]);
        }
        finally
        {
            CpuContext.Free(ctx);
        }
    }

    [Fact]
    public void RegisterReadIsNotFusedPastAContextHelper()
    {
        // x5 + 1 read before a helper that may write any register: the add must see the value read before the call.
        var block = new IrBlock(0x4000);
        var ir = new IrBuilder(block);
        var x5 = ir.GetReg(5);
        ir.Call(typeof(ContextHelpers), nameof(ContextHelpers.ClobberX5));
        ir.SetReg(6, ir.Add(x5, ir.Const(1UL)));
        ir.Jump(0x5000);
        block.Renumber();
        var cold = InterpretedBlock.Prepare(block);
        var ctx = CpuContext.Allocate();
        try
        {
            ctx->X[5] = 41;
            Assert.Equal(0x5000UL, cold.Execute(ctx));
            Assert.Equal(42UL, ctx->X[6]);
            Assert.Equal(0xDEADUL, ctx->X[5]);
        }
        finally
        {
            CpuContext.Free(ctx);
        }
    }
}

/// <summary>A helper that writes a guest register through the context, as some IR helpers may.</summary>
public static unsafe class ContextHelpers
{
    public static void ClobberX5(CpuContext* ctx) => ctx->X[5] = 0xDEAD;
}

public class InterpreterOpCodeTests
{
    [Fact]
    public void ExitIsTheLastIrOp()
    {
        // The cold tier numbers its fused ops from IrOp.Exit + 1: an op added after Exit would collide with them.
        Assert.Equal(IrOp.Exit, Enum.GetValues<IrOp>().Max());
    }
}
