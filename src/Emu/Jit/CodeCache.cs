namespace Emu.Jit;

/// <summary>
/// Translated blocks by guest PC: a dictionary as the source of truth and a direct-mapped jump cache
/// in front of it. Invalidation by address range drops blocks whose guest code changed.
/// </summary>
public sealed class CodeCache
{
    private const int JumpCacheBits = 14;
    private readonly Dictionary<ulong, TranslatedBlock> _blocks = new();
    private readonly TranslatedBlock?[] _jumpCache = new TranslatedBlock?[1 << JumpCacheBits];
    private readonly object _lock = new();

    public int Count
    {
        get { lock (_lock) return _blocks.Count; }
    }

    private static int Slot(ulong pc) => (int)((pc >> 2) ^ (pc >> (2 + JumpCacheBits))) & ((1 << JumpCacheBits) - 1);

    /// <summary>The jump cache alone: no lock, for the dispatcher's indirect-branch path.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
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
            if (_blocks.TryGetValue(pc, out b))
            {
                _jumpCache[Slot(pc)] = b;
                return b;
            }
        }
        return null;
    }

    public void Add(TranslatedBlock block)
    {
        lock (_lock)
        {
            _blocks[block.StartPc] = block;
            _jumpCache[Slot(block.StartPc)] = block;
        }
    }

    /// <summary>Drops every block that overlaps guest [start, end).</summary>
    public void Invalidate(ulong start, ulong end)
    {
        lock (_lock)
        {
            List<ulong>? dead = null;
            foreach (var (pc, b) in _blocks)
            {
                if (b.Overlaps(start, end))
                {
                    b.Invalidated = true;
                    (dead ??= new()).Add(pc);
                }
            }
            if (dead == null) return;
            foreach (var pc in dead) _blocks.Remove(pc);
            Array.Clear(_jumpCache);
        }
    }
}
