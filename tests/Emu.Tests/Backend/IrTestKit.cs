using Emu.Cpu;
using Emu.IR;
using Emu.IR.Passes;
using Emu.Jit;
using Emu.Memory;

namespace Emu.Tests.Backend;

/// <summary>Which back end runs a hand-built block.</summary>
public enum Tier
{
    Interpreter,
    Il,

    /// <summary>Tier 1 with the memory's base compiled in as a constant (as when the guest memory is below 2 GiB).</summary>
    IlConstantBase,
}

/// <summary>
/// A small guest (32-bit address space, one data area) on which hand-built IR blocks run through the
/// cold tier or Tier 1.
/// </summary>
public sealed unsafe class IrMachine : IDisposable
{
    public const ulong DataBase = 0x10000;
    public const int DataSize = 0x10000;

    public GuestMemory Memory { get; } = new(32);
    public CpuContext* Ctx { get; } = CpuContext.Allocate();

    public IrMachine()
    {
        Assert.Equal(0, Memory.MapFixed(DataBase, DataSize, GuestProt.Read | GuestProt.Write, "data"));
        Ctx->MemBase = (ulong)Memory.Base;
        Ctx->MemMask = Memory.Mask;
    }

    public ulong Run(IrBlock block, Tier tier)
    {
        block.Verify();
        if (tier == Tier.Interpreter) return InterpretedBlock.Prepare(block).Execute(Ctx);
        var saved = IlCompiler.SetThreadMemoryBase(tier == Tier.IlConstantBase ? (ulong)Memory.Base : 0);
        BlockCode code;
        try { code = IlCompiler.CompileOrThrow(block); } // no silent fallback to the cold tier in tests
        finally { IlCompiler.SetThreadMemoryBase(saved); }
        IlCompiler.Prejit(code);
        return code(Ctx);
    }

    public void Dispose()
    {
        CpuContext.Free(Ctx);
        Memory.Dispose();
    }
}

public static unsafe class IrTestKit
{
    public static readonly Tier[] Tiers = [Tier.Interpreter, Tier.Il, Tier.IlConstantBase];

    /// <summary>
    /// Builds r = op(x1, x2, x3) into x0 and runs it on both tiers; asserts they agree and returns x0.
    /// </summary>
    public static ulong Eval(Func<IrBuilder, IrInst, IrInst, IrInst, IrInst> op, ulong a = 0, ulong b = 0, ulong c = 0)
    {
        ulong? first = null;
        foreach (var tier in Tiers)
        {
            var block = new IrBlock(0x1000);
            var ir = new IrBuilder(block);
            var r = op(ir, ir.GetReg(1), ir.GetReg(2), ir.GetReg(3));
            ir.SetReg(0, r);
            ir.Jump(0x2000);
            using var m = new IrMachine();
            m.Ctx->X[1] = a;
            m.Ctx->X[2] = b;
            m.Ctx->X[3] = c;
            m.Ctx->X[0] = 0xDEAD;
            Assert.Equal(0x2000UL, m.Run(block, tier));
            ulong x0 = m.Ctx->X[0];
            if (first is { } f) Assert.True(f == x0, $"interpreter 0x{f:x}, IL 0x{x0:x}");
            first = x0;
        }
        return first!.Value;
    }

    public static ulong Eval(Func<IrBuilder, IrInst, IrInst, IrInst> op, ulong a = 0, ulong b = 0) =>
        Eval((ir, x, y, _) => op(ir, x, y), a, b);

    public static ulong Eval(Func<IrBuilder, IrInst, IrInst> op, ulong a = 0) =>
        Eval((ir, x, _, _) => op(ir, x), a);

    /// <summary>
    /// On both tiers: runs the block <paramref name="build"/> makes as it is and after <see cref="IrOptimizer"/>,
    /// each from the state <paramref name="setup"/> gives; asserts the vector and general registers agree, then
    /// hands both machines (plain, optimized) to <paramref name="check"/>.
    /// </summary>
    public static void AssertOptimizedRunsTheSame(Func<IrBlock> build, Action<IrMachine> setup, Action<IrMachine, IrMachine>? check = null)
    {
        foreach (var tier in Tiers)
        {
            using var plain = new IrMachine();
            using var optimized = new IrMachine();
            setup(plain);
            setup(optimized);
            var b = build();
            IrOptimizer.Run(b);
            Assert.Equal(plain.Run(build(), tier), optimized.Run(b, tier));
            for (int i = 0; i < 64; i++) Assert.Equal(plain.Ctx->V[i], optimized.Ctx->V[i]);
            for (int i = 0; i < 32; i++) Assert.Equal(plain.Ctx->X[i], optimized.Ctx->X[i]);
            check?.Invoke(plain, optimized);
        }
    }
}
