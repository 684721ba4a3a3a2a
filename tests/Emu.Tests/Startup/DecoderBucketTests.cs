using System.Numerics;
using Emu.Frontend.Decoder;
using Encoding = Emu.Frontend.Decoder.Encoding;

namespace Emu.Tests.Startup;

/// <summary>
/// The decoder's buckets are built at every start from each line's fixed top bits; whatever word it is
/// given, it must pick what a plain scan of the whole table picks: the matching line with the most fixed
/// bits, the earlier line on a tie.
/// </summary>
public class DecoderBucketTests
{
    private static Encoding? ScanTable(IReadOnlyList<Encoding> table, uint word)
    {
        Encoding? best = null;
        foreach (var e in table)
            if (e.Matches(word) && (best == null || BitOperations.PopCount(e.Mask) > BitOperations.PopCount(best.Mask))) best = e;
        return best;
    }

    [Fact]
    public void Decode_picks_the_most_specific_matching_line_for_random_words()
    {
        var table = A64Encodings.All;
        var rng = new Random(0x0dec0de);
        int decoded = 0;
        for (int i = 0; i < 200_000; i++)
        {
            uint word = (uint)rng.NextInt64(0, 1L << 32);
            var expected = ScanTable(table, word);
            Assert.Same(expected, Arm64Decoder.Instance.Decode(word));
            if (expected != null) decoded++;
        }
        Assert.True(decoded > 10_000, $"only {decoded} random words decoded: the sample does not exercise the table");
    }

    [Fact]
    public void Decode_picks_the_most_specific_matching_line_for_every_line_with_its_fields_filled()
    {
        var table = A64Encodings.All;
        var rng = new Random(7);
        foreach (var e in table)
        {
            // The line's fixed bits with its field bits all clear, all set, and random.
            foreach (uint fields in new[] { 0u, ~0u, (uint)rng.NextInt64(0, 1L << 32) })
            {
                uint word = e.Value | (fields & ~e.Mask);
                var expected = ScanTable(table, word);
                Assert.NotNull(expected);
                Assert.Same(expected, Arm64Decoder.Instance.Decode(word));
            }
        }
    }

    [Fact]
    public void A_decoder_over_part_of_the_table_decodes_only_that_part()
    {
        var part = A64Encodings.All.Where(e => e.Group == "base").ToArray();
        var decoder = new Arm64Decoder(part);
        var rng = new Random(11);
        for (int i = 0; i < 50_000; i++)
        {
            uint word = (uint)rng.NextInt64(0, 1L << 32);
            Assert.Same(ScanTable(part, word), decoder.Decode(word));
        }
    }
}
