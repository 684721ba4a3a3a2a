using Emu.Frontend.Translation;
using Emu.IR;
using Emu.IR.Passes;
using Emu.Tests.Backend;

namespace Emu.Tests.IR;

/// <summary>Which upper-half clears of 64-bit vector results the pass drops, and that the block computes the same.</summary>
public unsafe class ZeroUpperEliminationTests
{
    private static IrInst Simd(IrBuilder ir, string name, params IrInst[] args) => ir.Call(typeof(SimdHelpers), name, args);

    private static IrInst Clear(IrBuilder ir, IrInst v) => Simd(ir, nameof(SimdHelpers.ZeroUpper), v);

    private static int Clears(IrBlock block) =>
        block.Insts.Count(i => i.Op == IrOp.Call && i.Helper!.Method.Name == nameof(SimdHelpers.ZeroUpper));

    /// <summary>
    /// eor v2.8b, v0.8b, v1.8b; add v3.2s, v2.2s, v1.2s (v2 overwritten later); ushr v4.2s, (d load), #3;
    /// add v5.2s, v4.2s, (d load); orn v6.8b, v0.8b, v1.8b; str d(v0 ^ v1); v2 = v5 ^ v5 (overwritten).
    /// </summary>
    private static IrBlock Build()
    {
        var block = new IrBlock(0x1000);
        var ir = new IrBuilder(block);
        var v0 = ir.GetVec(0);
        var v1 = ir.GetVec(1);
        var x = Clear(ir, Simd(ir, nameof(SimdHelpers.Eor), v0, v1)); // upper unknown, read only by the add below
        ir.SetVec(2, x);
        ir.SetVec(3, Clear(ir, Simd(ir, nameof(SimdHelpers.Add), x, v1, ir.Const(2UL)))); // a register: stays
        var address = ir.Const(IrMachine.DataBase);
        var load = ir.LoadVec(address, 8);
        var shifted = Clear(ir, Simd(ir, nameof(SimdHelpers.UShr), load, ir.Const(3UL), ir.Const(2UL))); // known zero
        ir.SetVec(4, shifted);
        ir.SetVec(5, Clear(ir, Simd(ir, nameof(SimdHelpers.Add), shifted, ir.LoadVec(address, 8), ir.Const(2UL)))); // known zero
        ir.SetVec(6, Clear(ir, Simd(ir, nameof(SimdHelpers.Orn), load, load))); // ~0 in the upper half: stays
        ir.StoreVec(ir.Const(IrMachine.DataBase + 16), Clear(ir, Simd(ir, nameof(SimdHelpers.Eor), v0, v1)), 8); // stored low half only
        ir.StoreVec(ir.Const(IrMachine.DataBase + 32), Clear(ir, Simd(ir, nameof(SimdHelpers.And), v0, v1)), 16); // stored whole: stays
        ir.SetVec(2, Clear(ir, v1)); // a plain clear of an unknown register: stays
        ir.Jump(0);
        return block;
    }

    [Fact]
    public void ClearsOfKnownZeroOrUnreadUpperHalvesAreDropped()
    {
        var block = Build();
        Assert.Equal(8, Clears(block));
        IrOptimizer.Run(block);
        block.Verify();
        // Left: the clear written to v3, Orn's, the 16-byte store's, and the plain clear written to v2.
        Assert.Equal(4, Clears(block));
        var toV5 = block.Insts.Single(i => i.Op == IrOp.SetVec && i.Imm == 5).A!;
        Assert.Equal(nameof(SimdHelpers.Add), toV5.Helper!.Method.Name);
    }

    [Fact]
    public void OptimizedBlockComputesTheSame() =>
        IrTestKit.AssertOptimizedRunsTheSame(Build, m =>
        {
            for (int i = 0; i < 4; i++) m.Ctx->V[i] = 0x0123_4567_89AB_CDEFUL * (ulong)(i + 3);
            *(ulong*)(m.Memory.Base + IrMachine.DataBase) = 0xFEDC_BA98_7654_3210UL;
            *(ulong*)(m.Memory.Base + IrMachine.DataBase + 8) = 0x1111_2222_3333_4444UL; // not loaded: 8-byte loads
        }, (plain, optimized) =>
        {
            for (ulong i = 0; i < 8; i++)
                Assert.Equal(*(ulong*)(plain.Memory.Base + IrMachine.DataBase + 8 * i), *(ulong*)(optimized.Memory.Base + IrMachine.DataBase + 8 * i));
            foreach (int r in new[] { 2, 3, 4, 5, 6 }) Assert.Equal(0UL, optimized.Ctx->V[2 * r + 1]); // upper halves
            Assert.Equal(plain.Ctx->V[2], optimized.Ctx->V[4]);
        });
}
