using Emu.Cpu;
using Emu.IR;
using Emu.Jit;
using Emu.Memory;

namespace Emu.Tests.ColdTier;

/// <summary>
/// The cold tier runs two 8-byte loads (or stores) at constant offsets from the same base back to back, as LDP
/// and STP make them, as one op, and reads a base that is a guest register straight from the context when the
/// register is unchanged since its read. Expected memory and register contents are written out by hand.
/// </summary>
public unsafe class PairedAccessTests
{
    private const ulong Data = 0x10000;

    private static (InterpretedBlock Cold, ulong Next) Run(IrBlock block, Action<IntPtr> setup, Action<GuestMemory> fill, Action<IntPtr, GuestMemory> check)
    {
        block.Renumber();
        var cold = InterpretedBlock.Prepare(block);
        using var memory = new GuestMemory(32);
        memory.MapFixed(Data, 0x1000, GuestProt.Read | GuestProt.Write, "data");
        fill(memory);
        var ctx = CpuContext.Allocate();
        try
        {
            ctx->MemBase = (ulong)memory.Base;
            ctx->MemMask = memory.Mask;
            setup((IntPtr)ctx);
            ulong next = cold.Execute(ctx);
            check((IntPtr)ctx, memory);
            return (cold, next);
        }
        finally
        {
            CpuContext.Free(ctx);
        }
    }

    private static IrInst At(IrBuilder ir, IrInst baseValue, ulong offset) => ir.Add(baseValue, ir.Const(offset));

    [Fact]
    public void LoadPairAndStorePairFromOneBaseAreOneOpEach()
    {
        // ldp x2, x3, [x1, #16]; stp x3, x2, [x1, #32]: the stores swap the pair.
        var block = new IrBlock(0x4000);
        var ir = new IrBuilder(block);
        var x1 = ir.GetReg(1);
        var first = ir.Load(At(ir, x1, 16), 8);
        var second = ir.Load(At(ir, x1, 24), 8);
        ir.SetReg(2, first);
        ir.SetReg(3, second);
        ir.Store(At(ir, x1, 32), second, 8);
        ir.Store(At(ir, x1, 40), first, 8);
        ir.Jump(0x5000);
        var (cold, next) = Run(block, p => ((CpuContext*)p)->X[1] = Data, memory =>
        {
            BitConverter.TryWriteBytes(memory.GetSpan(Data + 16, 8), 0x1111_2222_3333_4444UL);
            BitConverter.TryWriteBytes(memory.GetSpan(Data + 24, 8), 0x5555_6666_7777_8888UL);
        }, (p, memory) =>
        {
            var ctx = (CpuContext*)p;
            Assert.Equal(0x1111_2222_3333_4444UL, ctx->X[2]);
            Assert.Equal(0x5555_6666_7777_8888UL, ctx->X[3]);
            Assert.Equal(0x5555_6666_7777_8888UL, BitConverter.ToUInt64(memory.GetSpan(Data + 32, 8)));
            Assert.Equal(0x1111_2222_3333_4444UL, BitConverter.ToUInt64(memory.GetSpan(Data + 40, 8)));
        });
        Assert.Equal(0x5000UL, next);
        Assert.Equal(4, cold.OpCount); // load pair, register writes, store pair, jump (x1 read by the pairs)
    }

    [Fact]
    public void PairsFromAComputedBaseAreOneOpEach()
    {
        // x4 = x1 + x2; ldp x2, x3, [x4, #16]; stp x3, x2, [x4, #32].
        var block = new IrBlock(0x4000);
        var ir = new IrBuilder(block);
        var x4 = ir.Add(ir.GetReg(1), ir.GetReg(2));
        ir.SetReg(4, x4);
        var first = ir.Load(At(ir, x4, 16), 8);
        var second = ir.Load(At(ir, x4, 24), 8);
        ir.SetReg(2, first);
        ir.SetReg(3, second);
        ir.Store(At(ir, x4, 32), second, 8);
        ir.Store(At(ir, x4, 40), first, 8);
        ir.Jump(0x5000);
        var (cold, _) = Run(block, p =>
        {
            ((CpuContext*)p)->X[1] = Data - 0x100;
            ((CpuContext*)p)->X[2] = 0x100;
        }, memory =>
        {
            BitConverter.TryWriteBytes(memory.GetSpan(Data + 16, 8), 0x0102_0304_0506_0708UL);
            BitConverter.TryWriteBytes(memory.GetSpan(Data + 24, 8), 0x1112_1314_1516_1718UL);
        }, (p, memory) =>
        {
            var ctx = (CpuContext*)p;
            Assert.Equal(Data, ctx->X[4]);
            Assert.Equal(0x0102_0304_0506_0708UL, ctx->X[2]);
            Assert.Equal(0x1112_1314_1516_1718UL, ctx->X[3]);
            Assert.Equal(0x1112_1314_1516_1718UL, BitConverter.ToUInt64(memory.GetSpan(Data + 32, 8)));
            Assert.Equal(0x0102_0304_0506_0708UL, BitConverter.ToUInt64(memory.GetSpan(Data + 40, 8)));
        });
        Assert.Equal(6, cold.OpCount); // register reads, add writing x4, load pair, register writes, store pair, jump
    }

    [Fact]
    public void LoadIntoItsOwnBaseRegisterReadsTheOldBase()
    {
        // ldr x1, [x1, #8]; ldr x2, [x1]: the second load's base is the loaded value.
        var block = new IrBlock(0x4000);
        var ir = new IrBuilder(block);
        var loaded = ir.Load(At(ir, ir.GetReg(1), 8), 8);
        ir.SetReg(1, loaded);
        ir.SetReg(2, ir.Load(loaded, 8));
        ir.Jump(0x5000);
        var (cold, _) = Run(block, p => ((CpuContext*)p)->X[1] = Data, memory =>
        {
            BitConverter.TryWriteBytes(memory.GetSpan(Data + 8, 8), Data + 0x40);
            BitConverter.TryWriteBytes(memory.GetSpan(Data + 0x40, 8), 0xC0DE_0000_0000_0042UL);
        }, (p, _) =>
        {
            var ctx = (CpuContext*)p;
            Assert.Equal(Data + 0x40, ctx->X[1]);
            Assert.Equal(0xC0DE_0000_0000_0042UL, ctx->X[2]);
        });
        Assert.Equal(3, cold.OpCount); // load writing x1 (base from the context), load writing x2, jump
    }

    [Fact]
    public void BaseRegisterWrittenBeforeTheAccessIsReadBeforeTheWrite()
    {
        // The IR reads x1, then sets x1 = 0, then loads from the value read (as after register-get/set passes).
        var block = new IrBlock(0x4000);
        var ir = new IrBuilder(block);
        var x1 = ir.GetReg(1);
        ir.SetReg(1, ir.Const(0UL));
        ir.SetReg(2, ir.Load(At(ir, x1, 8), 8));
        ir.Store(x1, x1, 8);
        ir.Jump(0x5000);
        var (cold, _) = Run(block, p => ((CpuContext*)p)->X[1] = Data + 0x80, memory =>
            BitConverter.TryWriteBytes(memory.GetSpan(Data + 0x88, 8), 0x7777_0000_0000_0007UL), (p, memory) =>
        {
            var ctx = (CpuContext*)p;
            Assert.Equal(0UL, ctx->X[1]);
            Assert.Equal(0x7777_0000_0000_0007UL, ctx->X[2]);
            Assert.Equal(Data + 0x80, BitConverter.ToUInt64(memory.GetSpan(Data + 0x80, 8)));
        });
        Assert.Equal(5, cold.OpCount); // GetReg, SetRegI, load writing x2, store, jump
    }

    [Fact]
    public void AccessesFromDifferentBasesStayApart()
    {
        // ldr x3, [x1, #8]; ldr x4, [x2, #8]; str x4, [x1]; str x3, [x2]: x1 and x2 point 0x100 apart.
        var block = new IrBlock(0x4000);
        var ir = new IrBuilder(block);
        var x1 = ir.GetReg(1);
        var x2 = ir.GetReg(2);
        var a = ir.Load(At(ir, x1, 8), 8);
        var b = ir.Load(At(ir, x2, 8), 8);
        ir.SetReg(3, a);
        ir.SetReg(4, b);
        ir.Store(x1, b, 8);
        ir.Store(x2, a, 8);
        ir.Jump(0x5000);
        var (cold, _) = Run(block, p =>
        {
            ((CpuContext*)p)->X[1] = Data;
            ((CpuContext*)p)->X[2] = Data + 0x100;
        }, memory =>
        {
            BitConverter.TryWriteBytes(memory.GetSpan(Data + 8, 8), 0xAAAA_0000_0000_0001UL);
            BitConverter.TryWriteBytes(memory.GetSpan(Data + 0x108, 8), 0xBBBB_0000_0000_0002UL);
        }, (p, memory) =>
        {
            var ctx = (CpuContext*)p;
            Assert.Equal(0xAAAA_0000_0000_0001UL, ctx->X[3]);
            Assert.Equal(0xBBBB_0000_0000_0002UL, ctx->X[4]);
            Assert.Equal(0xBBBB_0000_0000_0002UL, BitConverter.ToUInt64(memory.GetSpan(Data, 8)));
            Assert.Equal(0xAAAA_0000_0000_0001UL, BitConverter.ToUInt64(memory.GetSpan(Data + 0x100, 8)));
        });
        Assert.Equal(6, cold.OpCount); // two loads, register writes, two stores, jump (x1 and x2 read by the accesses)
    }
}
