using Emu.Jit;

namespace Emu.Tests.Memory;

/// <summary>
/// The code cache's table of blocks by PC (open addressing, removal by moving later entries back): after any
/// mix of additions, replacements, invalidations and growth, a lookup finds exactly the blocks a plain
/// dictionary would hold.
/// </summary>
public sealed class CodeCacheTableTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void LookupsMatchADictionaryThroughAddsReplacementsAndInvalidations(int seed)
    {
        var random = new Random(seed);
        var cache = new CodeCache();
        var model = new Dictionary<ulong, TranslatedBlock>();
        // PCs 4 bytes apart in a small range: long probe runs, and many replacements and removals inside them.
        const int Instructions = 6000;
        for (int step = 0; step < 20_000; step++)
        {
            ulong pc = 0x40_0000 + 4 * (ulong)random.Next(Instructions);
            if (random.Next(4) != 0)
            {
                var b = CodeCacheEvictionTests.Block(pc);
                cache.Add(b);
                model[pc] = b;
            }
            else
            {
                // One instruction's line: drops the block starting there (each block is 4 bytes long).
                cache.Invalidate(pc, pc + 4);
                model.Remove(pc);
            }
        }
        Assert.Equal(model.Count, cache.Count);
        for (int i = 0; i < Instructions; i++)
        {
            ulong pc = 0x40_0000 + 4 * (ulong)i;
            var found = cache.Lookup(pc);
            if (model.TryGetValue(pc, out var expected)) Assert.Same(expected, found);
            else Assert.Null(found);
        }
        Assert.All(model.Values, b => Assert.False(b.Invalidated));
    }

    [Fact]
    public void FlushEmptiesTheTableAndItFillsAgain()
    {
        var cache = new CodeCache();
        for (ulong i = 0; i < 3000; i++) cache.Add(CodeCacheEvictionTests.Block(0x1000 + 4 * i));
        var kept = cache.Lookup(0x1000)!;
        cache.Flush();
        Assert.Equal(0, cache.Count);
        Assert.True(kept.Invalidated);
        Assert.Null(cache.Lookup(0x1000));
        var again = CodeCacheEvictionTests.Block(0x1000);
        cache.Add(again);
        Assert.Same(again, cache.Lookup(0x1000));
        Assert.Equal(1, cache.Count);
    }
}
