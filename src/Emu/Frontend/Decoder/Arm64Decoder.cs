using System.Numerics;

namespace Emu.Frontend.Decoder;

/// <summary>
/// Table-driven A64 decoder over <see cref="A64Encodings.All"/>. Entries are bucketed by bits
/// [31:21] (2048 buckets); within a bucket, the most specific pattern (most fixed bits) is tried first,
/// so an alias or a reserved sub-encoding written as a narrower line wins over the general one.
/// </summary>
public sealed class Arm64Decoder
{
    private const int BucketShift = 21;
    private readonly Encoding[][] _buckets;

    public static Arm64Decoder Instance { get; } = new(A64Encodings.All);

    public IReadOnlyList<Encoding> Encodings { get; }

    public Arm64Decoder(IReadOnlyList<Encoding> encodings)
    {
        Encodings = encodings;
        var lists = new List<Encoding>[1 << (32 - BucketShift)];
        for (int b = 0; b < lists.Length; b++) lists[b] = new List<Encoding>();
        uint bucketMask = ~0u << BucketShift;
        foreach (var e in encodings)
        {
            uint m = e.Mask & bucketMask, v = e.Value & bucketMask;
            for (uint b = 0; b < lists.Length; b++)
                if (((b << BucketShift) & m) == v) lists[b].Add(e);
        }
        _buckets = lists.Select(l => l.OrderByDescending(e => BitOperations.PopCount(e.Mask)).ToArray()).ToArray();
    }

    /// <summary>The encoding of <paramref name="word"/>, or null if it is unallocated or not implemented.</summary>
    public Encoding? Decode(uint word)
    {
        foreach (var e in _buckets[word >> BucketShift])
            if ((word & e.Mask) == e.Value) return e;
        return null;
    }
}
