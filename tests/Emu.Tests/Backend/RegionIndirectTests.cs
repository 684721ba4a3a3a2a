using Emu.IR;
using Emu.Jit;

namespace Emu.Tests.Backend;

/// <summary>
/// Regions whose indirect branches (BR/BLR/RET) go to blocks of the same region: the IL compares the target
/// with the expected ones (a switch for four or more) and stays in the method; other targets leave the region
/// with the registers written back. Also regions entered at a block other than the head.
/// </summary>
public sealed unsafe class RegionIndirectTests
{
    // A tiny interpreter: Dispatch loads the next opcode from memory and branches through a "jump table"
    // (target = HandlerBase + 0x40 * opcode); each handler changes x1 and jumps back to Dispatch.
    private const ulong Dispatch = 0x1000, HandlerBase = 0x2000, Outside = 0x9000;
    private const ulong Program = IrMachine.DataBase;

    private static ulong Handler(int op) => HandlerBase + 0x40 * (ulong)op;

    /// <summary>Dispatch: x2 = load byte [x3]; x3 += 1; BR HandlerBase + x2 * 0x40.</summary>
    private static IrBlock DispatchBlock()
    {
        var block = new IrBlock(Dispatch);
        var ir = new IrBuilder(block);
        var pc = ir.GetReg(3);
        var op = ir.Load(pc, 1);
        ir.SetReg(2, op);
        ir.SetReg(3, ir.Add(pc, ir.Const(1)));
        ir.JumpIndirect(ir.Add(ir.Const(HandlerBase), ir.Mul(op, ir.Const(0x40))));
        return block;
    }

    /// <summary>Handler <paramref name="op"/>: x1 = x1 * 3 + op (order-sensitive, so a wrong handler shows), back to Dispatch.</summary>
    private static IrBlock HandlerBlock(int op)
    {
        var block = new IrBlock(Handler(op));
        var ir = new IrBuilder(block);
        ir.SetReg(1, ir.Add(ir.Mul(ir.GetReg(1), ir.Const(3)), ir.Const((ulong)op)));
        ir.Jump(Dispatch);
        return block;
    }

    private static ulong Reference(byte[] program, int handlers)
    {
        ulong x1 = 0;
        foreach (byte op in program)
        {
            if (op >= handlers) break;
            x1 = x1 * 3 + op;
        }
        return x1;
    }

    private static (IrBlock[] Blocks, ulong[][] Targets) Interpreter(int handlers, int expected)
    {
        var blocks = new List<IrBlock> { DispatchBlock() };
        for (int op = 0; op < handlers; op++) blocks.Add(HandlerBlock(op));
        foreach (var b in blocks) b.Verify();
        var targets = new ulong[blocks.Count][];
        targets[0] = Enumerable.Range(0, expected).Select(Handler).ToArray();
        for (int i = 1; i < targets.Length; i++) targets[i] = [];
        return (blocks.ToArray(), targets);
    }

    [Theory]
    [InlineData(6, 6)] // a switch over six handlers
    [InlineData(3, 3)] // compares
    [InlineData(6, 2)] // only two targets known: the others leave and come back through the dispatcher
    public void AnInterpreterLoopRunsThroughItsHandlersInsideTheRegion(int handlers, int expected)
    {
        byte[] program = [1, 0, 2, 1, 2, 2, 0, 1, 1, 0, 2, 1, 0, 0, 2, 9];
        if (handlers > 3) program = [.. program.Take(program.Length - 1), 5, 3, 4, 1, 5, 9];
        var (blocks, targets) = Interpreter(handlers, expected);
        var code = IlCompiler.CompileRegion(blocks, targets);
        Assert.NotNull(code);

        using var m = new IrMachine();
        program.CopyTo(new Span<byte>((byte*)m.Memory.Base + Program, program.Length));
        m.Ctx->X[3] = Program;
        // Run like the dispatcher: a PC outside the region's known targets returns; re-enter at its block.
        ulong pc = Dispatch;
        int exits = 0;
        var single = blocks.ToDictionary(b => b.StartPc, b => IlCompiler.CompileOrThrow(b));
        while (pc != Handler(9))
        {
            pc = pc == Dispatch ? code!(m.Ctx) : single[pc](m.Ctx);
            exits++;
            Assert.True(exits < 1000, "the loop never reached opcode 9");
        }
        Assert.Equal(Reference(program, handlers), m.Ctx->X[1]);
        Assert.Equal(Program + (ulong)program.Length, m.Ctx->X[3]);
        if (expected == handlers)
            Assert.Equal(1, exits); // every handler stayed inside: one exit, at the unknown opcode 9
        else
            Assert.True(exits > 1);
    }

    /// <summary>
    /// A switch's dispatch as compilers emit it (ADR base; ADD x, base, index, LSL #2; BR x): handlers 1 to 5 at
    /// TableBase + 4 * op are in the region, so the slot is the index minus one; opcode 0 (below the table) and
    /// 200 (beyond it) leave the region at their own PCs.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(200)]
    public void AScaledJumpTableDispatchesInsideTheRegionAndLeavesOutsideIt(byte unknown)
    {
        const ulong tableBase = 0x4000;
        var dispatch = new IrBlock(Dispatch);
        var ir = new IrBuilder(dispatch);
        var pc = ir.GetReg(3);
        var op = ir.Load(pc, 1);
        ir.SetReg(3, ir.Add(pc, ir.Const(1)));
        ir.JumpIndirect(ir.Add(ir.Shl(op, ir.Const(2)), ir.Const(tableBase)));
        var blocks = new List<IrBlock> { dispatch };
        for (int k = 1; k <= 5; k++)
        {
            var handler = new IrBlock(tableBase + 4 * (ulong)k);
            var h = new IrBuilder(handler);
            h.SetReg(1, h.Add(h.Mul(h.GetReg(1), h.Const(3)), h.Const((ulong)k)));
            h.Jump(Dispatch);
            blocks.Add(handler);
        }
        foreach (var b in blocks) b.Verify();
        var targets = new ulong[blocks.Count][];
        targets[0] = Enumerable.Range(1, 5).Select(k => tableBase + 4 * (ulong)k).ToArray();
        for (int i = 1; i < targets.Length; i++) targets[i] = [];
        var code = IlCompiler.CompileRegion(blocks, targets);
        Assert.NotNull(code);

        byte[] program = [1, 2, 3, 5, 4, 4, 1, unknown];
        using var m = new IrMachine();
        program.CopyTo(new Span<byte>((byte*)m.Memory.Base + Program, program.Length));
        m.Ctx->X[3] = Program;
        Assert.Equal(tableBase + 4 * (ulong)unknown, code!(m.Ctx));
        Assert.Equal(Reference([1, 2, 3, 5, 4, 4, 1], 6), m.Ctx->X[1]);
        Assert.Equal(Program + (ulong)program.Length, m.Ctx->X[3]);
    }

    [Fact]
    public void AnUnalignedTargetNearTheHandlersLeavesTheRegion()
    {
        // opcode bytes scaled by 0x40 never make an unaligned PC, so patch Dispatch's target: + 2.
        var (blocks, targets) = Interpreter(6, 6);
        var dispatch = new IrBlock(Dispatch);
        var ir = new IrBuilder(dispatch);
        ir.JumpIndirect(ir.Add(ir.GetReg(4), ir.Const(2)));
        blocks[0] = dispatch;
        var code = IlCompiler.CompileRegion(blocks, targets);
        using var m = new IrMachine();
        m.Ctx->X[4] = Handler(1);
        Assert.Equal(Handler(1) + 2, code!(m.Ctx));
        Assert.Equal(0UL, m.Ctx->X[1]);
    }

    [Fact]
    public void ARegionEnteredAtAnyBlockRunsFromThere()
    {
        var (blocks, targets) = Interpreter(4, 4);
        var region = IlCompiler.CompileRegionWithEntries(blocks, targets);
        Assert.NotNull(region);
        Assert.Equal(blocks.Length, region!.Entries.Length);
        byte[] program = [3, 2, 1, 7];
        using var m = new IrMachine();
        program.CopyTo(new Span<byte>((byte*)m.Memory.Base + Program, program.Length));
        // Entered at handler 2 with x1 = 5: 5*3+2 = 17, then the program's 3, 2, 1 run, then 7 leaves.
        m.Ctx->X[1] = 5;
        m.Ctx->X[3] = Program;
        Assert.Equal(Handler(7), region.Entries[3](m.Ctx));
        ulong expected = 17;
        foreach (byte op in program[..3]) expected = expected * 3 + op;
        Assert.Equal(expected, m.Ctx->X[1]);
        Assert.Equal(7UL, m.Ctx->X[2]);
        // The indirect exit is the dispatch block's: the dispatcher records missed targets there.
        Assert.Equal(0, region.IndirectExitOwners[m.Ctx->LastExit]);
    }

    [Fact]
    public void ABlockThatRunsIcIvauLeavesTheRegionInsteadOfContinuingInIt()
    {
        // Handler 0 runs IC IVAU (the guest rewrote code): its jump back to Dispatch must leave the method.
        var (blocks, targets) = Interpreter(2, 2);
        var handler = new IrBlock(Handler(0));
        var ir = new IrBuilder(handler);
        ir.Call(typeof(CodeCache), nameof(CodeCache.InvalidateInstructionLine), ir.Const(Outside));
        ir.SetReg(1, ir.Add(ir.GetReg(1), ir.Const(100)));
        ir.Jump(Dispatch);
        blocks[1] = handler;
        var code = IlCompiler.CompileRegion(blocks, targets);
        byte[] program = [1, 0, 1];
        using var m = new IrMachine();
        program.CopyTo(new Span<byte>((byte*)m.Memory.Base + Program, program.Length));
        m.Ctx->X[3] = Program;
        Assert.Equal(Dispatch, code!(m.Ctx));
        Assert.Equal(1UL + 100, m.Ctx->X[1]);
        Assert.Equal(Program + 2, m.Ctx->X[3]);
    }
}
