using Emu.FloatingPoint;

namespace Emu.Tests.FloatingPoint;

/// <summary>The public ArmFloat API that vector FP builds on: half precision, FZ16 and flag accumulation.</summary>
public class ArmFloatApiTests
{
    [Fact]
    public void HalfPrecisionFlushUsesFz16WithoutIdc()
    {
        var st = new FpStatus(FpStatus.Fz16Bit, 0);
        Assert.Equal(0UL, ArmFloat.Add(0x0001, 0x0000, 16, ref st)); // smallest half denormal + 0, flushed
        Assert.Equal(0UL, st.Fpsr);
        st = new FpStatus(FpStatus.FzBit, 0); // FZ alone does not flush half precision
        Assert.Equal(0x0001UL, ArmFloat.Add(0x0001, 0x0000, 16, ref st));
        Assert.Equal(0UL, st.Fpsr);
    }

    [Fact]
    public void FlagsAccumulateAcrossCalls()
    {
        var st = new FpStatus(0, 0);
        ArmFloat.Div(BitConverter.DoubleToUInt64Bits(1.0), 0, 64, ref st);
        ArmFloat.Add(BitConverter.DoubleToUInt64Bits(0.1), BitConverter.DoubleToUInt64Bits(0.2), 64, ref st);
        Assert.Equal(FpStatus.Dzc | FpStatus.Ixc, st.Fpsr);
    }

    [Fact]
    public void UpperBitsOfNarrowOperandsAreIgnored()
    {
        var st = new FpStatus(0, 0);
        // 1.0f + 1.0f with garbage above bit 31: the single-precision result is 2.0f, zero-extended.
        Assert.Equal(0x40000000UL, ArmFloat.Add(0xABCD00003F800000, 0x123400003F800000, 32, ref st));
        Assert.Equal(0x7E00UL, ArmFloat.DefaultNaN(16));
        Assert.Equal(0x7FC00000UL, ArmFloat.DefaultNaN(32));
    }

    [Fact]
    public void RoundToIntegralTiesAwayAndToEven()
    {
        var st = new FpStatus(0, 0);
        ulong h2_5 = 0x4100; // 2.5 in half precision
        Assert.Equal(0x4200UL, ArmFloat.RoundToIntegral(h2_5, 16, FpRounding.TieAway, true, ref st)); // 3.0
        Assert.Equal(0x4000UL, ArmFloat.RoundToIntegral(h2_5, 16, FpRounding.TieEven, true, ref st)); // 2.0
        Assert.Equal(FpStatus.Ixc, st.Fpsr);
    }
}
