using System.Runtime.Intrinsics;
using Emu.Cpu;
using Emu.IR;

namespace Emu.Tests.Backend;

/// <summary>Guest state, memory, exclusives, helper calls and terminators on both tiers.</summary>
public unsafe class StateAndMemoryTests
{
    private const ulong D = IrMachine.DataBase;

    public static TheoryData<Tier> AllTiers => new() { Tier.Interpreter, Tier.Il, Tier.IlConstantBase };

    private static IrBlock Block(Action<IrBuilder> build)
    {
        var block = new IrBlock(0x1000);
        build(new IrBuilder(block));
        return block;
    }

    [Theory]
    [MemberData(nameof(AllTiers))]
    public void LoadsZeroExtendEachSize(Tier tier)
    {
        using var m = new IrMachine();
        m.Memory.Write(D + 8, 0xF1F2F3F4F5F6F7F8UL);
        var block = Block(ir =>
        {
            var a = ir.Const(D + 8);
            ir.SetReg(0, ir.Load(a, 1));
            ir.SetReg(1, ir.Load(a, 2));
            ir.SetReg(2, ir.Load(a, 4));
            ir.SetReg(3, ir.Load(a, 8));
            ir.SetReg(4, ir.Load(ir.Const(D + 9), 4)); // unaligned
            ir.Jump(0);
        });
        m.Run(block, tier);
        Assert.Equal(0xF8UL, m.Ctx->X[0]);
        Assert.Equal(0xF7F8UL, m.Ctx->X[1]);
        Assert.Equal(0xF5F6F7F8UL, m.Ctx->X[2]);
        Assert.Equal(0xF1F2F3F4F5F6F7F8UL, m.Ctx->X[3]);
        Assert.Equal(0xF4F5F6F7UL, m.Ctx->X[4]);
    }

    [Theory]
    [MemberData(nameof(AllTiers))]
    public void StoresWriteOnlyTheirSize(Tier tier)
    {
        using var m = new IrMachine();
        m.Ctx->X[5] = 0x1122334455667788;
        var block = Block(ir =>
        {
            var v = ir.GetReg(5);
            ir.Store(ir.Const(D + 0x00), v, 1);
            ir.Store(ir.Const(D + 0x10), v, 2);
            ir.Store(ir.Const(D + 0x20), v, 4);
            ir.Store(ir.Const(D + 0x31), v, 8);
            ir.Jump(0);
        });
        m.Run(block, tier);
        Assert.Equal(0x88UL, m.Memory.Read<ulong>(D));
        Assert.Equal(0x7788UL, m.Memory.Read<ulong>(D + 0x10));
        Assert.Equal(0x55667788UL, m.Memory.Read<ulong>(D + 0x20));
        Assert.Equal(0x1122334455667788UL, m.Memory.Read<ulong>(D + 0x31));
        Assert.Equal(0, m.Memory.Read<byte>(D + 0x30));
        Assert.Equal(0, m.Memory.Read<byte>(D + 0x39));
    }

    [Theory]
    [MemberData(nameof(AllTiers))]
    public void AddressesAreConfinedByTheMask(Tier tier)
    {
        using var m = new IrMachine();
        m.Memory.Write(D, 0xABCDUL);
        // Bit 40 is outside the 32-bit space: the mask drops it.
        var block = Block(ir =>
        {
            ir.SetReg(0, ir.Load(ir.Const((1UL << 40) | D), 8));
            ir.Jump(0);
        });
        m.Run(block, tier);
        Assert.Equal(0xABCDUL, m.Ctx->X[0]);
    }

    [Theory]
    [MemberData(nameof(AllTiers))]
    public void VectorLoadsAndStores(Tier tier)
    {
        using var m = new IrMachine();
        for (int i = 0; i < 16; i++) m.Memory.Write(D + (ulong)i, (byte)(0x10 + i));
        var block = Block(ir =>
        {
            var a = ir.Const(D);
            ir.SetVec(1, ir.LoadVec(a, 1));
            ir.SetVec(2, ir.LoadVec(a, 2));
            ir.SetVec(4, ir.LoadVec(a, 4));
            ir.SetVec(8, ir.LoadVec(a, 8));
            var q = ir.LoadVec(a, 16);
            ir.SetVec(16, q);
            ir.StoreVec(ir.Const(D + 0x100), q, 16);
            ir.StoreVec(ir.Const(D + 0x200), q, 4);
            ir.StoreVec(ir.Const(D + 0x300), q, 8);
            ir.Jump(0);
        });
        m.Run(block, tier);
        Assert.Equal(Vector128.Create(0x10UL, 0), m.Ctx->GetV(1).AsUInt64());
        Assert.Equal(Vector128.Create(0x1110UL, 0), m.Ctx->GetV(2).AsUInt64());
        Assert.Equal(Vector128.Create(0x13121110UL, 0), m.Ctx->GetV(4).AsUInt64());
        Assert.Equal(Vector128.Create(0x1716151413121110UL, 0), m.Ctx->GetV(8).AsUInt64());
        Assert.Equal(Vector128.Create(0x1716151413121110UL, 0x1F1E1D1C1B1A1918UL), m.Ctx->GetV(16).AsUInt64());
        Assert.Equal(0x1F1E1D1C1B1A1918UL, m.Memory.Read<ulong>(D + 0x108));
        Assert.Equal(0x13121110UL, m.Memory.Read<ulong>(D + 0x200));
        Assert.Equal(0x1716151413121110UL, m.Memory.Read<ulong>(D + 0x300));
        Assert.Equal(0UL, m.Memory.Read<ulong>(D + 0x308));
    }

    [Theory]
    [MemberData(nameof(AllTiers))]
    public void FlagsSysAndVectorRegistersRoundTrip(Tier tier)
    {
        using var m = new IrMachine();
        m.Ctx->Nzcv = 0x6000_0000;
        m.Ctx->Tpidr = 0x1234;
        m.Ctx->SetV(3, Vector128.Create(1UL, 2UL).AsByte());
        var block = Block(ir =>
        {
            ir.SetReg(0, ir.GetFlags());
            ir.SetFlags(ir.Const(0x9000_0000UL));
            ir.SetReg(1, ir.GetSys(SysReg.Tpidr));
            ir.SetSys(SysReg.TpidrRo, ir.Const(0x5678UL));
            ir.SetSys(SysReg.Fpcr, ir.GetSys(SysReg.Tpidr));
            ir.SetVec(7, ir.GetVec(3));
            ir.SetReg(31, ir.Const(0x7777UL)); // SP
            ir.Jump(0);
        });
        m.Run(block, tier);
        Assert.Equal(0x6000_0000UL, m.Ctx->X[0]);
        Assert.Equal(0x9000_0000UL, m.Ctx->Nzcv);
        Assert.Equal(0x1234UL, m.Ctx->X[1]);
        Assert.Equal(0x5678UL, m.Ctx->TpidrRo);
        Assert.Equal(0x1234UL, m.Ctx->Fpcr);
        Assert.Equal(Vector128.Create(1UL, 2UL), m.Ctx->GetV(7).AsUInt64());
        Assert.Equal(0x7777UL, m.Ctx->X[31]);
    }

    [Theory]
    [MemberData(nameof(AllTiers))]
    public void ExclusivePairOfLoadAndStoreSucceeds(Tier tier)
    {
        using var m = new IrMachine();
        m.Memory.Write(D + 0x40, 41UL);
        var block = Block(ir =>
        {
            var a = ir.Const(D + 0x40);
            var old = ir.LoadExclusive(a, 8);
            ir.SetReg(0, old);
            ir.SetReg(1, ir.StoreExclusive(a, ir.Add(old, ir.Const(1UL)), 8));
            // The monitor is closed now: a second store fails.
            ir.SetReg(2, ir.StoreExclusive(a, ir.Const(99UL), 8));
            ir.Jump(0);
        });
        m.Run(block, tier);
        Assert.Equal(41UL, m.Ctx->X[0]);
        Assert.Equal(0UL, m.Ctx->X[1]);
        Assert.Equal(1UL, m.Ctx->X[2]);
        Assert.Equal(42UL, m.Memory.Read<ulong>(D + 0x40));
    }

    private static IrBlock LoadExclusiveBlock(ulong address, int bytes) => Block(ir =>
    {
        ir.SetReg(0, ir.LoadExclusive(ir.Const(address), bytes));
        ir.Jump(0);
    });

    private static IrBlock StoreExclusiveBlock(ulong address, ulong value, int bytes) => Block(ir =>
    {
        ir.SetReg(1, ir.StoreExclusive(ir.Const(address), ir.Const(value), bytes));
        ir.Jump(0);
    });

    [Theory]
    [MemberData(nameof(AllTiers))]
    public void StoreExclusiveFailsWhenMemoryChangedInBetween(Tier tier)
    {
        using var m = new IrMachine();
        m.Memory.Write(D, 5U);
        m.Run(LoadExclusiveBlock(D, 4), tier);
        m.Memory.Write(D, 6U); // another thread's store
        m.Run(StoreExclusiveBlock(D, 7, 4), tier);
        Assert.Equal(1UL, m.Ctx->X[1]);
        Assert.Equal(6U, m.Memory.Read<uint>(D));
    }

    [Theory]
    [MemberData(nameof(AllTiers))]
    public void StoreExclusiveFailsOnOtherAddressSizeOrAfterClear(Tier tier)
    {
        using var m = new IrMachine();
        m.Run(LoadExclusiveBlock(D, 8), tier);
        m.Run(StoreExclusiveBlock(D + 8, 1, 8), tier);
        Assert.Equal(1UL, m.Ctx->X[1]);

        m.Run(LoadExclusiveBlock(D, 8), tier);
        m.Run(StoreExclusiveBlock(D, 1, 4), tier);
        Assert.Equal(1UL, m.Ctx->X[1]);

        m.Run(LoadExclusiveBlock(D, 8), tier);
        m.Run(Block(ir => { ir.ClearExclusive(); ir.Jump(0); }), tier);
        m.Run(StoreExclusiveBlock(D, 1, 8), tier);
        Assert.Equal(1UL, m.Ctx->X[1]);
        Assert.Equal(0UL, m.Memory.Read<ulong>(D));
    }

    [Theory]
    [MemberData(nameof(AllTiers))]
    public void ByteAndHalfwordExclusivesLeaveNeighboursAlone(Tier tier)
    {
        using var m = new IrMachine();
        m.Memory.Write(D, 0x44332211U);
        m.Run(LoadExclusiveBlock(D + 1, 1), tier);
        Assert.Equal(0x22UL, m.Ctx->X[0]);
        m.Run(StoreExclusiveBlock(D + 1, 0xAB, 1), tier);
        Assert.Equal(0UL, m.Ctx->X[1]);
        Assert.Equal(0x4433AB11U, m.Memory.Read<uint>(D));

        m.Run(LoadExclusiveBlock(D + 2, 2), tier);
        Assert.Equal(0x4433UL, m.Ctx->X[0]);
        m.Memory.Write(D, (byte)0x77); // a neighbour changes: the store still succeeds
        m.Run(StoreExclusiveBlock(D + 2, 0xBEEF, 2), tier);
        Assert.Equal(0UL, m.Ctx->X[1]);
        Assert.Equal(0xBEEFAB77U, m.Memory.Read<uint>(D));
    }

    [Theory]
    [InlineData(Tier.Interpreter, 8)]
    [InlineData(Tier.Il, 8)]
    [InlineData(Tier.Interpreter, 4)]
    [InlineData(Tier.Il, 4)]
    public void ExclusivePairs(Tier tier, int bytes)
    {
        using var m = new IrMachine();
        ulong step = (ulong)bytes;
        m.Memory.Write(D, 0x1111111111111111UL);
        m.Memory.Write(D + 8, 0x2222222222222222UL);
        ulong mask = bytes == 8 ? ulong.MaxValue : uint.MaxValue;
        var block = Block(ir =>
        {
            var a = ir.Const(D);
            ir.SetReg(0, ir.LoadExclusivePair(a, bytes));
            ir.SetReg(1, ir.LoadExclusiveHigh());
            ir.SetReg(2, ir.StoreExclusivePair(a, ir.Const(0xAAAAAAAAAAAAAAAAUL), ir.Const(0xBBBBBBBBBBBBBBBBUL), bytes));
            ir.SetReg(3, ir.StoreExclusivePair(a, ir.Const(0UL), ir.Const(0UL), bytes));
            ir.Jump(0);
        });
        m.Run(block, tier);
        Assert.Equal(0x1111111111111111UL & mask, m.Ctx->X[0]);
        Assert.Equal((bytes == 8 ? 0x2222222222222222UL : 0x11111111UL), m.Ctx->X[1]);
        Assert.Equal(0UL, m.Ctx->X[2]);
        Assert.Equal(1UL, m.Ctx->X[3]);
        Assert.Equal(0xAAAAAAAAAAAAAAAAUL & mask, m.Memory.Read<ulong>(D) & mask);
        Assert.Equal(0xBBBBBBBBBBBBBBBBUL & mask, m.Memory.Read<ulong>(D + step) & mask);

        // A single-register load does not arm a pair store.
        m.Run(LoadExclusiveBlock(D, 8), tier);
        m.Run(Block(ir =>
        {
            ir.SetReg(2, ir.StoreExclusivePair(ir.Const(D), ir.Const(1UL), ir.Const(2UL), 4));
            ir.Jump(0);
        }), tier);
        Assert.Equal(1UL, m.Ctx->X[2]);
    }

    [Fact]
    public void ExclusiveIncrementsFromManyThreadsAreNotLost()
    {
        using var m = new IrMachine();
        // LDXR; ADD; STXR; loop in the test while the store fails.
        var ld = Block(ir => { ir.SetReg(0, ir.LoadExclusive(ir.Const(D), 8)); ir.Jump(0); });
        var st = Block(ir => { ir.SetReg(1, ir.StoreExclusive(ir.Const(D), ir.Add(ir.GetReg(0), ir.Const(1UL)), 8)); ir.Jump(0); });
        var coldLd = Jit.InterpretedBlock.Prepare(ld);
        var hotSt = Jit.IlCompiler.CompileOrThrow(st);
        const int PerThread = 20000;
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            var ctx = CpuContext.Allocate();
            ctx->MemBase = m.Ctx->MemBase;
            ctx->MemMask = m.Ctx->MemMask;
            for (int i = 0; i < PerThread; i++)
                do coldLd.Execute(ctx); while (hotSt(ctx) == 0 && ctx->X[1] != 0);
            CpuContext.Free(ctx);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(4UL * PerThread, m.Memory.Read<ulong>(D));
    }

    [Theory]
    [MemberData(nameof(AllTiers))]
    public void HelperCalls(Tier tier)
    {
        using var m = new IrMachine();
        m.Ctx->SetV(2, Vector128.Create(0xF0UL, 0x0FUL).AsByte());
        var block = Block(ir =>
        {
            ir.SetReg(0, ir.Call(typeof(TestHelpers), nameof(TestHelpers.AddThree), ir.Const(1UL), ir.Const(10UL), ir.Const(100UL)));
            ir.SetReg(5, ir.Const(40UL)); // still dirty in a local when the helper runs
            var r = ir.Call(typeof(TestHelpers), nameof(TestHelpers.SwapThroughContext), ir.Const(2UL));
            ir.SetReg(1, r);
            ir.SetReg(2, ir.GetReg(6)); // written by the helper: must be reloaded
            ir.SetReg(3, ir.GetReg(5));
            ir.SetVec(4, ir.Call(typeof(TestHelpers), nameof(TestHelpers.VecXorScalar), ir.GetVec(2), ir.Const(0xFFUL)));
            ir.SetReg(7, ir.Const(3UL));
            ir.SetFlags(ir.Const(0x1000_0000UL));
            ir.Call(typeof(TestHelpers), nameof(TestHelpers.Touch));
            ir.Jump(0);
        });
        m.Run(block, tier);
        Assert.Equal(321UL, m.Ctx->X[0]);
        Assert.Equal(40UL, m.Ctx->X[1]);
        Assert.Equal(42UL, m.Ctx->X[2]);
        Assert.Equal(0UL, m.Ctx->X[3]);
        Assert.Equal(0UL, m.Ctx->X[5]);
        Assert.Equal(Vector128.Create(0x0FUL, 0xF0UL), m.Ctx->GetV(4).AsUInt64());
        Assert.Equal(0x1000_0003UL, m.Ctx->Tpidr);
    }

    [Theory]
    [MemberData(nameof(AllTiers))]
    public void Terminators(Tier tier)
    {
        using var m = new IrMachine();
        var branch = Block(ir =>
        {
            ir.SetReg(9, ir.Const(1UL));
            ir.Branch(ir.GetReg(0), 0x100, 0x200);
        });
        m.Ctx->X[0] = 0;
        Assert.Equal(0x200UL, m.Run(branch, tier));
        Assert.Equal(1UL, m.Ctx->X[9]);
        m.Ctx->X[0] = 0x1_0000_0000;
        Assert.Equal(0x100UL, m.Run(branch, tier));

        m.Ctx->X[3] = 0xDEAD_BEE0;
        Assert.Equal(0xDEAD_BEE0UL, m.Run(Block(ir => ir.JumpIndirect(ir.GetReg(3))), tier));
        Assert.Equal(ExitReason.None, m.Ctx->Exit);

        var exit = Block(ir =>
        {
            ir.SetReg(8, ir.Const(93UL));
            ir.Exit(ExitReason.Breakpoint, 0x4444, 0x77);
        });
        Assert.Equal(0x4444UL, m.Run(exit, tier));
        Assert.Equal(ExitReason.Breakpoint, m.Ctx->Exit);
        Assert.Equal(0x77, m.Ctx->ExitInfo);
        Assert.Equal(93UL, m.Ctx->X[8]);
    }
}

/// <summary>IR helpers for the call tests.</summary>
public static unsafe class TestHelpers
{
    public static ulong AddThree(ulong a, ulong b, ulong c) => a + 2 * b + 3 * c;

    public static ulong SwapThroughContext(CpuContext* ctx, ulong a)
    {
        // Sees the block's earlier register writes and makes its own.
        ulong seen = ctx->X[5];
        ctx->X[6] = seen + a;
        ctx->X[5] = 0;
        return seen;
    }

    public static Vector128<byte> VecXorScalar(Vector128<byte> v, ulong s) => v ^ Vector128.Create(s, s).AsByte();

    public static void Touch(CpuContext* ctx) => ctx->Tpidr = ctx->X[7] + ctx->Nzcv;
}
