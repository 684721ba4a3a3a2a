using Emu.IR;
using Emu.Jit;

namespace Emu.Tests.Tier1;

/// <summary>
/// Which region blocks keep their guest loads volatile (IlCompiler.BlocksOnStoreFreeCycles): those on a loop that
/// stores nothing, where RyuJIT could otherwise hoist a spin-wait's load out of the loop; every other load may be
/// scheduled freely.
/// </summary>
public sealed class SpinLoadTests
{
    /// <summary>A block loading [x1] into x2 (and storing it to [x3] when <paramref name="stores"/>), then jumping to <paramref name="next"/>.</summary>
    private static IrBlock Block(ulong pc, bool stores, ulong next)
    {
        var ir = new IrBlock(pc);
        var b = new IrBuilder(ir);
        var v = b.Load(b.GetReg(1), 4);
        b.SetReg(2, v);
        if (stores) b.Store(b.GetReg(3), v, 4);
        b.Jump(next);
        ir.Verify();
        return ir;
    }

    private static bool[] Classify(IrBlock[] blocks, params int[][] successors) =>
        IlCompiler.BlocksOnStoreFreeCycles(blocks, [.. successors.Select(s => s.ToList())]);

    [Fact]
    public void ASpinLoopWithoutStoresKeepsItsLoadsVolatile()
    {
        // 0 -> 1 -> 0 (a two-block spin loop), 2 after it.
        var blocks = new[] { Block(0x100, false, 0x200), Block(0x200, false, 0x100), Block(0x300, false, 0x400) };
        Assert.Equal([true, true, false], Classify(blocks, [1], [0], []));
    }

    [Fact]
    public void ALoopThatStoresLetsItsLoadsBeOrdinary()
    {
        // 0 -> 1 -> 0 with a store in block 1: RyuJIT sees memory written in the loop and keeps the loads in it.
        var blocks = new[] { Block(0x100, false, 0x200), Block(0x200, true, 0x100) };
        Assert.Equal([false, false], Classify(blocks, [1], [0]));
    }

    [Fact]
    public void AStoreFreeInnerLoopInsideAStoringOuterLoopStaysVolatile()
    {
        // Outer loop 0 -> 1 -> 2 -> 0 stores in 2; inner loop 1 -> 1 stores nothing: RyuJIT may hoist out of the inner loop.
        var blocks = new[] { Block(0x100, false, 0x200), Block(0x200, false, 0x200), Block(0x300, true, 0x100) };
        Assert.Equal([false, true, false], Classify(blocks, [1], [1, 2], [0]));
    }

    [Fact]
    public void StraightLineCodeHasNoVolatileLoads()
    {
        var blocks = new[] { Block(0x100, false, 0x200), Block(0x200, false, 0x300) };
        Assert.Equal([false, false], Classify(blocks, [1], []));
    }
}
