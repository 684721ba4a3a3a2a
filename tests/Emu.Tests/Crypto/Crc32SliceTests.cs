using Emu.Frontend.Translation;

namespace Emu.Tests.Crypto;

/// <summary>
/// CRC32W/X run by slices of a table; a byte at a time must give the same CRC (the bitwise definition: the
/// reflected polynomial 0xEDB88320, no inversion), for any accumulator and data.
/// </summary>
public sealed class Crc32SliceTests
{
    private static uint Bitwise(uint crc, ulong data, int bytes)
    {
        for (int i = 0; i < 8 * bytes; i++)
        {
            crc ^= (uint)(data >> i) & 1;
            crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return crc;
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(2)]
    [InlineData(1)]
    public void SlicedCrcMatchesTheBitwiseDefinition(int bytes)
    {
        var random = new Random(1234 + bytes);
        for (int i = 0; i < 2000; i++)
        {
            uint crc = (uint)random.NextInt64();
            ulong data = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63);
            ulong masked = bytes == 8 ? data : data & ((1UL << (8 * bytes)) - 1);
            Assert.Equal(Bitwise(crc, masked, bytes), (uint)CryptoHelpers.Crc32(crc, masked, (ulong)bytes));
        }
    }

    [Fact]
    public void CheckValueOf123456789()
    {
        ulong first = BitConverter.ToUInt64("12345678"u8);
        uint crc = (uint)CryptoHelpers.Crc32(0xFFFFFFFF, first, 8);
        crc = (uint)CryptoHelpers.Crc32(crc, (byte)'9', 1);
        Assert.Equal(0xCBF43926u, ~crc);
    }
}
