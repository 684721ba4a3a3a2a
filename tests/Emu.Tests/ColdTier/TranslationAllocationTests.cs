using Emu.Frontend.Translation;
using Emu.IR;
using Emu.IR.Passes;
using Emu.Jit;

namespace Emu.Tests.ColdTier;

/// <summary>
/// An interpreter's start-up translates tens of thousands of blocks, and with the small gen0 budget every
/// byte the translation path allocates is resident memory or GC time: the path reuses its per-thread objects,
/// and a cached block that stays cold carries none of Tier 1's bookkeeping.
/// </summary>
public class TranslationAllocationTests
{
    private const ulong Base = RebuiltIrTests.Base;
    private static readonly uint[] Loop = RebuiltIrTests.Loop;

    private static BlockTranslator Translator() => RebuiltIrTests.Over(Loop);

    // One array of Loop.Length words: the only object a transient translation keeps.
    private const long WordsArrayBytes = 24 + 4 * 4;

    [Fact]
    public void TransientTranslationAllocatesOnlyTheGuestWords()
    {
        var t = Translator();
        for (int i = 0; i < 3; i++) t.TranslateTransient(Base); // the thread's reused objects
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ir = t.TranslateTransient(Base);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(Loop, ir.GuestWords);
        Assert.Equal(WordsArrayBytes, allocated);
    }

    [Fact]
    public void OperandsAreEnumeratedInOrderWithoutAllocating()
    {
        var a = new IrInst(IrOp.Const);
        var b = new IrInst(IrOp.Const);
        var c = new IrInst(IrOp.Const);
        var select = new IrInst(IrOp.Select) { A = a, C = c };
        var call = new IrInst(IrOp.Call) { Args = [c, a, b] };
        var seen = new List<IrInst>(8);
        Walk(select, seen);
        Walk(call, seen);
        seen.Clear();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Walk(select, seen);
        Walk(call, seen);
        Walk(a, seen);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal([a, c, c, a, b], seen);
    }

    private static void Walk(IrInst inst, List<IrInst> into)
    {
        foreach (var o in inst.Operands()) into.Add(o);
    }

    [Fact]
    public void IndirectTargetRecordStartsSmallAndGrowsToTheMaximum()
    {
        var ir = Translator().Translate(Base);
        var block = new TranslatedBlock(ir, InterpretedBlock.Prepare(ir));
        block.RecordIndirectTarget(0x100);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (ulong pc = 0x104; pc < 0x110; pc += 4) block.RecordIndirectTarget(pc);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(4, block.IndirectTargets!.Length); // four targets: a four-entry array
        for (ulong pc = 0x100; pc < 0x100 + 4 * 20; pc += 4) block.RecordIndirectTarget(pc);
        Assert.Equal(TranslatedBlock.MaxIndirectTargets, block.IndirectTargetCount);
        var expected = Enumerable.Range(0, TranslatedBlock.MaxIndirectTargets).Select(i => 0x100 + 4 * (ulong)i).ToArray();
        Assert.Equal(expected, RegionBuilder.IndirectTargets(block).ToArray());
        Assert.True(block.KnowsIndirectTarget(0x104));
        Assert.True(block.KnowsIndirectTarget(0x999)); // full: nothing more to learn
    }

    private static long Touch(TranslatedBlock block)
    {
        block.RegionMembers = null;
        block.IndirectExitOwners = null;
        block.EntryOf = null;
        block.RecompileWanted = false;
        return (block.RegionMembers != null ? 1 : 0) + (block.EntryOf != null ? 1 : 0) + (block.RecompileWanted ? 1 : 0)
            + block.RegionExits + block.Recompiles + block.RegionIndirectTargets + block.Tier1Runs;
    }

    [Fact]
    public void BlockPreparedInPlaceAllocatesOnlyItselfAndItsOps()
    {
        var ir = Translator().Translate(Base);
        IrOptimizer.Run(ir);
        ir.Renumber();
        Func<TranslatedBlock, IrBlock> rebuild = _ => ir;
        var cold = InterpretedBlock.Prepare(ir);
        var copy = new TranslatedBlock(ir, cold, rebuild);
        _ = new TranslatedBlock(ir, rebuild);
        long before = GC.GetAllocatedBytesForCurrentThread();
        _ = new TranslatedBlock(ir, cold, rebuild);
        long blockBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        var block = new TranslatedBlock(ir, rebuild);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // The op array: array header and length, 32 bytes per op (constants two to an op).
        long opsBytes = 24 + 32 * (cold.OpCount + (cold.ConstantCount + 1) / 2);
        Assert.Equal(blockBytes + opsBytes, allocated);
        Assert.Equal(cold.OpCount, block.OpCount);
        Assert.Equal(cold.WritesBeforeFault, block.ColdWritesBeforeFault);
        Assert.Same(copy, copy.Cold);
    }

    [Fact]
    public void ColdBlockCarriesNoTier1State()
    {
        var ir = Translator().Translate(Base);
        IrOptimizer.Run(ir);
        ir.Renumber();
        var cold = InterpretedBlock.Prepare(ir);
        Func<TranslatedBlock, IrBlock> rebuild = _ => ir;
        _ = new TranslatedBlock(ir, cold, rebuild);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var block = new TranslatedBlock(ir, cold, rebuild);
        long coldSize = GC.GetAllocatedBytesForCurrentThread() - before;
        // Reading Tier 1's fields, or clearing them, makes nothing.
        Touch(block);
        before = GC.GetAllocatedBytesForCurrentThread();
        long sum = Touch(block);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, sum);
        // The block is its own cold-tier form: one object with the interpreter's fields, no Tier 1 ones.
        Assert.True(coldSize <= 192, $"TranslatedBlock is {coldSize} bytes");

        // Tier 1's state still works once written.
        block.RegionExits = 5;
        block.RecompileWanted = true;
        block.EntryOf = block;
        Assert.Equal(5, block.RegionExits);
        Assert.True(block.RecompileWanted);
        Assert.Same(block, block.EntryOf);
        Assert.Same(ir, block.Ir);
    }
}
