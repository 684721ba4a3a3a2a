using System.Runtime.CompilerServices;
using Emu.IR;
using Emu.Jit;

namespace Emu.Tests.Memory;

/// <summary>
/// The code cache holds at most its bound, and what it drops (by the bound or by invalidation) is garbage:
/// blocks, their cold-tier form and their Tier 1 code can be collected once nothing else refers to them.
/// </summary>
public sealed class CodeCacheEvictionTests
{
    // add x1, x1, #1; b next: a block of its own at each PC.
    internal static TranslatedBlock Block(ulong pc, bool compile = false)
    {
        var ir = new IrBlock(pc) { EndPc = pc + 4 };
        var b = new IrBuilder(ir);
        b.SetReg(1, b.Add(b.GetReg(1), b.Const(1)));
        b.Jump(pc + 4);
        ir.Verify();
        var block = new TranslatedBlock(ir, InterpretedBlock.Prepare(ir));
        if (compile) block.Compiled = IlCompiler.Compile(ir);
        return block;
    }

    // Fills the cache without leaving references on this frame; returns weak references to the first blocks added.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference[] Blocks, WeakReference[] Code) Fill(CodeCache cache, ulong firstPc, int count, int tracked, bool compile)
    {
        var blocks = new WeakReference[tracked];
        var code = new WeakReference[compile ? tracked : 0];
        for (int i = 0; i < count; i++)
        {
            var block = Block(firstPc + (ulong)i * 0x100, compile && i < tracked);
            cache.Add(block);
            Assert.True(cache.Count <= cache.MaxBlocks, $"{cache.Count} blocks cached, bound {cache.MaxBlocks}");
            if (i < tracked)
            {
                blocks[i] = new WeakReference(block);
                if (compile) code[i] = new WeakReference(block.Compiled);
            }
        }
        return (blocks, code);
    }

    private static int Alive(WeakReference[] refs)
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return refs.Count(r => r.IsAlive);
    }

    [Fact]
    public void CacheStaysWithinItsBlockBoundAndFlushedBlocksAreCollected()
    {
        var cache = new CodeCache { MaxBlocks = 64 };
        var (blocks, _) = Fill(cache, 0x10_0000, 1000, 32, compile: false);
        Assert.InRange(cache.Count, 1, 64);
        Assert.Equal(0, Alive(blocks));
    }

    [Fact]
    public void CacheStaysWithinItsIrBoundAndFlushedBlocksAreCollected()
    {
        // Each block holds a handful of IR instructions: a bound of 200 holds a few dozen blocks at most.
        var cache = new CodeCache { MaxIrInstructions = 200 };
        var (blocks, _) = Fill(cache, 0x20_0000, 500, 16, compile: false);
        Assert.InRange(cache.Count, 1, 200);
        Assert.Equal(0, Alive(blocks));
    }

    [Fact]
    public void FlushedTier1CodeIsCollected()
    {
        var cache = new CodeCache { MaxBlocks = 16 };
        var (blocks, code) = Fill(cache, 0x30_0000, 64, 8, compile: true);
        Assert.Equal(0, Alive(blocks));
        Assert.Equal(0, Alive(code));
    }

    [Fact]
    public void InvalidatedBlocksAreCollectedAndTheRestStay()
    {
        var cache = new CodeCache();
        // 32 blocks 0x100 apart: [0x40_0000, 0x40_2000) on two guest pages.
        var (blocks, _) = Fill(cache, 0x40_0000, 32, 32, compile: false);
        cache.Invalidate(0x40_0000, 0x40_1000);
        Assert.Equal(16, cache.Count);
        Assert.Equal(16, Alive(blocks));
        Assert.All(blocks.Take(16), r => Assert.False(r.IsAlive));
        Assert.Null(cache.Lookup(0x40_0000));
        Assert.NotNull(cache.Lookup(0x40_1000));
    }
}
