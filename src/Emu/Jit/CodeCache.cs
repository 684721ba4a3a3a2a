using System.Runtime.CompilerServices;

namespace Emu.Jit;

/// <summary>
/// Translated blocks by guest PC: a dictionary as the source of truth and a direct-mapped jump cache
/// in front of it. Blocks are also indexed by the guest pages their code lies on, so invalidating a
/// range (munmap, mprotect, IC IVAU after the guest rewrote code) touches only the blocks there.
/// The cache is bounded: past <see cref="MaxBlocks"/> blocks or <see cref="MaxIrInstructions"/> IR
/// instructions every block is dropped at once (as qemu's tb_flush), and running code leaves its
/// block at the next link check because every link checks <see cref="TranslatedBlock.Invalidated"/>.
/// </summary>
public sealed class CodeCache
{
    private const int JumpCacheBits = 14;
    private const int PageShift = 12;
    // Blocks by start PC, the source of truth: open addressing (linear probing), 16 bytes a slot at most 3/4 full,
    // where a Dictionary entry took 24 bytes plus its bucket (an interpreter's start-up caches tens of thousands of
    // blocks, and every resize was garbage too). Each slot holds its block's PC too: a probe then reads the table
    // alone, not one block object per slot passed (a cache miss each; 2% of python -c pass's main thread).
    private Entry[] _blocks = new Entry[MinSlots];

    private struct Entry
    {
        public TranslatedBlock? Block;
        public ulong Pc;
    }
    private int _blockCount, _slotShift = 64 - MinSlotBits;
    private const int MinSlotBits = 10, MinSlots = 1 << MinSlotBits;
    // Blocks (and region heads, for their members' code) by guest page; may hold already invalidated blocks.
    private readonly Dictionary<ulong, List<TranslatedBlock>> _byPage = new();
    private readonly TranslatedBlock?[] _jumpCache = new TranslatedBlock?[1 << JumpCacheBits];
    private readonly object _lock = new();
    private long _irInstructions;

    /// <summary>Blocks held at most before the whole cache is flushed (EMU_CACHE_BLOCKS).</summary>
    public int MaxBlocks { get; set; } = EnvInt("EMU_CACHE_BLOCKS", 1 << 16);

    /// <summary>IR instructions held at most (a measure of the IR and compiled code kept alive) before a flush.</summary>
    public long MaxIrInstructions { get; set; } = EnvInt("EMU_CACHE_IR", 1 << 23);

    private static int EnvInt(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out int v) && v > 0 ? v : fallback;

    // Every cache of the process, for IC IVAU (a helper call with no way to name its dispatcher).
    private static readonly List<WeakReference<CodeCache>> AllCaches = new();

    public CodeCache()
    {
        lock (AllCaches)
        {
            AllCaches.RemoveAll(w => !w.TryGetTarget(out _));
            AllCaches.Add(new WeakReference<CodeCache>(this));
        }
    }

    public int Count
    {
        get { lock (_lock) return _blockCount; }
    }

    // Fibonacci hashing of the instruction index: the top bits of the product spread nearby PCs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(ulong pc) => (int)(((pc >> 2) * 0x9E37_79B9_7F4A_7C15UL) >> _slotShift);

    /// <summary>The slot holding the block at <paramref name="pc"/>, or the empty slot where it would go (complement).</summary>
    private int FindSlot(ulong pc)
    {
        var table = _blocks;
        int mask = table.Length - 1;
        for (int i = Home(pc); ; i = (i + 1) & mask)
        {
            ref var e = ref table[i];
            if (e.Block == null) return ~i;
            if (e.Pc == pc) return i;
        }
    }

    private TranslatedBlock? Find(ulong pc)
    {
        int i = FindSlot(pc);
        return i >= 0 ? _blocks[i].Block : null;
    }

    /// <summary>Stores <paramref name="block"/>, which no slot holds a block at the same PC of.</summary>
    private void InsertNew(TranslatedBlock block)
    {
        if ((_blockCount + 1) * 4 > _blocks.Length * 3)
        {
            var old = _blocks;
            _blocks = new Entry[old.Length * 2];
            _slotShift--;
            foreach (var e in old)
                if (e.Block != null) _blocks[~FindSlot(e.Pc)] = e;
        }
        _blocks[~FindSlot(block.StartPc)] = new Entry { Block = block, Pc = block.StartPc };
        _blockCount++;
    }

    /// <summary>Empties slot <paramref name="i"/>, moving later blocks of its probe run back so every block stays reachable from its home.</summary>
    private void RemoveAt(int i)
    {
        var table = _blocks;
        int mask = table.Length - 1;
        table[i] = default;
        _blockCount--;
        for (int j = (i + 1) & mask; table[j].Block != null; j = (j + 1) & mask)
        {
            int home = Home(table[j].Pc);
            // The block at j stays if its home lies cyclically in (i, j]: the empty slot i is not on its probe path.
            bool stays = i <= j ? home > i && home <= j : home > i || home <= j;
            if (stays) continue;
            table[i] = table[j];
            table[j] = default;
            i = j;
        }
    }

    private static int Slot(ulong pc) => (int)((pc >> 2) ^ (pc >> (2 + JumpCacheBits))) & ((1 << JumpCacheBits) - 1);

    /// <summary>The jump cache alone: no lock, for the dispatcher's indirect-branch path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TranslatedBlock? Probe(ulong pc)
    {
        var b = _jumpCache[Slot(pc)];
        return b != null && b.StartPc == pc && !b.Invalidated ? b : null;
    }

    public TranslatedBlock? Lookup(ulong pc)
    {
        var b = _jumpCache[Slot(pc)];
        if (b != null && b.StartPc == pc && !b.Invalidated) return b;
        lock (_lock)
        {
            b = Find(pc);
            if (b != null) _jumpCache[Slot(pc)] = b;
            return b;
        }
    }

    public void Add(TranslatedBlock block)
    {
        lock (_lock)
        {
            if (_blockCount >= MaxBlocks || _irInstructions >= MaxIrInstructions) FlushLocked();
            if (Find(block.StartPc) is { } old) Drop(old);
            InsertNew(block);
            _irInstructions += block.IrInstructionCount;
            IndexPages(block, block.StartPc, block.EndPc);
            _jumpCache[Slot(block.StartPc)] = block;
        }
    }

    /// <summary>A region was compiled for <paramref name="head"/>: a change to any member's code must find the head too.</summary>
    public void AddRegion(TranslatedBlock head, IReadOnlyList<TranslatedBlock> members)
    {
        lock (_lock)
        {
            foreach (var m in members)
                if (m != head) IndexPages(head, m.StartPc, m.EndPc);
        }
    }

    private void IndexPages(TranslatedBlock block, ulong start, ulong end)
    {
        for (ulong page = start >> PageShift; page <= (end - 1) >> PageShift; page++)
        {
            if (!_byPage.TryGetValue(page, out var list)) _byPage[page] = list = new List<TranslatedBlock>(4);
            if (list.Count > 0 && list[^1] == block) continue;
            list.Add(block);
        }
    }

    private void Drop(TranslatedBlock b)
    {
        b.Invalidated = true;
        DirectTransfers.CodeChanged();
        int i = FindSlot(b.StartPc);
        if (i >= 0 && _blocks[i].Block == b)
        {
            RemoveAt(i);
            _irInstructions -= b.IrInstructionCount;
        }
    }

    /// <summary>Drops every block that overlaps guest [start, end).</summary>
    public void Invalidate(ulong start, ulong end)
    {
        if (end <= start) return;
        lock (_lock)
        {
            bool any = false;
            ulong first = start >> PageShift, last = (end - 1) >> PageShift;
            if (last - first < (ulong)_byPage.Count)
            {
                for (ulong page = first; page <= last; page++)
                    if (_byPage.TryGetValue(page, out var list)) any |= InvalidateOnPage(page, list, start, end);
            }
            else
            {
                // A range larger than the pages holding code (munmap of a big mapping): walk those pages instead.
                // The pages copied first (InvalidateOnPage may remove entries), into an array by hand: LINQ's
                // ToArray over the dictionary's pairs is JIT-compiled, and a dynamic program's start-up gets here.
                var pages = new ulong[_byPage.Count];
                int n = 0;
                foreach (ulong page in _byPage.Keys) pages[n++] = page;
                foreach (ulong page in pages)
                    if (page >= first && page <= last && _byPage.TryGetValue(page, out var list)) any |= InvalidateOnPage(page, list, start, end);
            }
            if (any)
            {
                Array.Clear(_jumpCache);
                if (Stats.Enabled) Stats.Count(ref Stats.BlocksInvalidated);
            }
        }
    }

    private bool InvalidateOnPage(ulong page, List<TranslatedBlock> list, ulong start, ulong end)
    {
        bool any = false;
        for (int i = list.Count - 1; i >= 0; i--)
        {
            var b = list[i];
            if (b.Invalidated)
            {
                list.RemoveAt(i);
                continue;
            }
            if (!b.Overlaps(start, end)) continue;
            Drop(b);
            list.RemoveAt(i);
            any = true;
        }
        if (list.Count == 0) _byPage.Remove(page);
        return any;
    }

    /// <summary>Drops every block (the cache bound was reached).</summary>
    public void Flush()
    {
        lock (_lock) FlushLocked();
    }

    private void FlushLocked()
    {
        foreach (var e in _blocks)
            if (e.Block != null) e.Block.Invalidated = true;
        DirectTransfers.CodeChanged();
        Array.Clear(_blocks);
        _blockCount = 0;
        _byPage.Clear();
        _irInstructions = 0;
        Array.Clear(_jumpCache);
        if (Stats.Enabled) Stats.Count(ref Stats.CacheFlushes);
    }

    /// <summary>
    /// IC IVAU: the guest wrote instructions in the cache line holding <paramref name="address"/> and asks for
    /// them to be fetched anew; every block on that line is dropped (in every cache of the process).
    /// </summary>
    public static void InvalidateInstructionLine(ulong address)
    {
        const ulong Line = 64; // CTR_EL0.IminLine as the guest sees it
        ulong start = address & ~(Line - 1);
        CodeCache[] caches;
        lock (AllCaches)
        {
            caches = new CodeCache[AllCaches.Count];
            int n = 0;
            foreach (var w in AllCaches)
                if (w.TryGetTarget(out var c)) caches[n++] = c;
            Array.Resize(ref caches, n);
        }
        foreach (var c in caches) c.Invalidate(start, start + Line);
    }
}
