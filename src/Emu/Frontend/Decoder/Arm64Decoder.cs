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
        // Built at every start-up: each line goes only to the buckets its fixed top bits allow (the subsets
        // of its free top bits), not tested against all 2048.
        const int BucketCount = 1 << (32 - BucketShift);
        var counts = new int[BucketCount];
        ForEachBucket(encodings, (b, _) => counts[b]++);
        _buckets = new Encoding[BucketCount][];
        for (int b = 0; b < BucketCount; b++) _buckets[b] = counts[b] == 0 ? [] : new Encoding[counts[b]];
        Array.Clear(counts);
        ForEachBucket(encodings, (b, e) => _buckets[b][counts[b]++] = e);
        foreach (var bucket in _buckets) SortBySpecificity(bucket);
    }

    private static void ForEachBucket(IReadOnlyList<Encoding> encodings, Action<uint, Encoding> add)
    {
        foreach (var e in encodings)
        {
            uint fixedMask = e.Mask >> BucketShift, value = e.Value >> BucketShift;
            uint free = ~fixedMask & ((1u << (32 - BucketShift)) - 1);
            // Every subset of the free bits, from all of them down to none.
            uint sub = free;
            while (true)
            {
                add(value | sub, e);
                if (sub == 0) break;
                sub = (sub - 1) & free;
            }
        }
    }

    /// <summary>Most fixed bits first; lines with as many keep their table order (a stable insertion sort).</summary>
    private static void SortBySpecificity(Encoding[] bucket)
    {
        for (int i = 1; i < bucket.Length; i++)
        {
            var e = bucket[i];
            int bits = BitOperations.PopCount(e.Mask), j = i - 1;
            for (; j >= 0 && BitOperations.PopCount(bucket[j].Mask) < bits; j--) bucket[j + 1] = bucket[j];
            bucket[j + 1] = e;
        }
    }

    /// <summary>The encoding of <paramref name="word"/>, or null if it is unallocated or not implemented.</summary>
    public Encoding? Decode(uint word)
    {
        foreach (var e in _buckets[word >> BucketShift])
            if ((word & e.Mask) == e.Value) return e;
        return null;
    }
}
