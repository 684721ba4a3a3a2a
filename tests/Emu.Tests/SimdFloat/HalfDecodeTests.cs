using Emu.Frontend.Decoder;

namespace Emu.Tests.SimdFloat;

/// <summary>
/// Words assembled by GNU as (-march=armv8.6-a+fp16+fp16fml+bf16) for every FP16 vector/scalar, FHM, FRINTTS
/// vector and BF16 form decode to a table line of that instruction in the extension's group (the group
/// gates -cpu models and the HWCAP bits).
/// </summary>
public class HalfDecodeTests
{
    [Theory]
    [InlineData(0x4e430441u, "FMAXNM", "fp16")] // fmaxnm v1.8h, v2.8h, v3.8h
    [InlineData(0x0e430c41u, "FMLA", "fp16")] // fmla v1.4h, v2.4h, v3.4h
    [InlineData(0x4e431441u, "FADD", "fp16")] // fadd v1.8h, v2.8h, v3.8h
    [InlineData(0x4e431c41u, "FMULX", "fp16")] // fmulx v1.8h, v2.8h, v3.8h
    [InlineData(0x4e432441u, "FCMEQ", "fp16")] // fcmeq v1.8h, v2.8h, v3.8h
    [InlineData(0x4e433441u, "FMAX", "fp16")] // fmax v1.8h, v2.8h, v3.8h
    [InlineData(0x4e433c41u, "FRECPS", "fp16")] // frecps v1.8h, v2.8h, v3.8h
    [InlineData(0x4ec30441u, "FMINNM", "fp16")] // fminnm v1.8h, v2.8h, v3.8h
    [InlineData(0x4ec30c41u, "FMLS", "fp16")] // fmls v1.8h, v2.8h, v3.8h
    [InlineData(0x4ec31441u, "FSUB", "fp16")] // fsub v1.8h, v2.8h, v3.8h
    [InlineData(0x4ec33441u, "FMIN", "fp16")] // fmin v1.8h, v2.8h, v3.8h
    [InlineData(0x4ec33c41u, "FRSQRTS", "fp16")] // frsqrts v1.8h, v2.8h, v3.8h
    [InlineData(0x6e430441u, "FMAXNMP", "fp16")] // fmaxnmp v1.8h, v2.8h, v3.8h
    [InlineData(0x6e431441u, "FADDP", "fp16")] // faddp v1.8h, v2.8h, v3.8h
    [InlineData(0x6e431c41u, "FMUL", "fp16")] // fmul v1.8h, v2.8h, v3.8h
    [InlineData(0x6e432441u, "FCMGE", "fp16")] // fcmge v1.8h, v2.8h, v3.8h
    [InlineData(0x6e432c41u, "FACGE", "fp16")] // facge v1.8h, v2.8h, v3.8h
    [InlineData(0x6e433441u, "FMAXP", "fp16")] // fmaxp v1.8h, v2.8h, v3.8h
    [InlineData(0x6e433c41u, "FDIV", "fp16")] // fdiv v1.8h, v2.8h, v3.8h
    [InlineData(0x6ec30441u, "FMINNMP", "fp16")] // fminnmp v1.8h, v2.8h, v3.8h
    [InlineData(0x6ec31441u, "FABD", "fp16")] // fabd v1.8h, v2.8h, v3.8h
    [InlineData(0x6ec32441u, "FCMGT", "fp16")] // fcmgt v1.8h, v2.8h, v3.8h
    [InlineData(0x6ec32c41u, "FACGT", "fp16")] // facgt v1.8h, v2.8h, v3.8h
    [InlineData(0x6ec33441u, "FMINP", "fp16")] // fminp v1.8h, v2.8h, v3.8h
    [InlineData(0x5e431c41u, "FMULX", "fp16")] // fmulx h1, h2, h3
    [InlineData(0x5e432441u, "FCMEQ", "fp16")] // fcmeq h1, h2, h3
    [InlineData(0x7e432441u, "FCMGE", "fp16")] // fcmge h1, h2, h3
    [InlineData(0x7e432c41u, "FACGE", "fp16")] // facge h1, h2, h3
    [InlineData(0x7ec31441u, "FABD", "fp16")] // fabd h1, h2, h3
    [InlineData(0x7ec32441u, "FCMGT", "fp16")] // fcmgt h1, h2, h3
    [InlineData(0x7ec32c41u, "FACGT", "fp16")] // facgt h1, h2, h3
    [InlineData(0x5e433c41u, "FRECPS", "fp16")] // frecps h1, h2, h3
    [InlineData(0x5ec33c41u, "FRSQRTS", "fp16")] // frsqrts h1, h2, h3
    [InlineData(0x4e798841u, "FRINTN", "fp16")] // frintn v1.8h, v2.8h
    [InlineData(0x4e799841u, "FRINTM", "fp16")] // frintm v1.8h, v2.8h
    [InlineData(0x4e79a841u, "FCVTNS", "fp16")] // fcvtns v1.8h, v2.8h
    [InlineData(0x4e79b841u, "FCVTMS", "fp16")] // fcvtms v1.8h, v2.8h
    [InlineData(0x4e79c841u, "FCVTAS", "fp16")] // fcvtas v1.8h, v2.8h
    [InlineData(0x4e79d841u, "SCVTF", "fp16")] // scvtf v1.8h, v2.8h
    [InlineData(0x4ef8c841u, "FCMGT", "fp16")] // fcmgt v1.8h, v2.8h, #0.0
    [InlineData(0x4ef8d841u, "FCMEQ", "fp16")] // fcmeq v1.8h, v2.8h, #0.0
    [InlineData(0x4ef8e841u, "FCMLT", "fp16")] // fcmlt v1.8h, v2.8h, #0.0
    [InlineData(0x4ef8f841u, "FABS", "fp16")] // fabs v1.8h, v2.8h
    [InlineData(0x4ef98841u, "FRINTP", "fp16")] // frintp v1.8h, v2.8h
    [InlineData(0x4ef99841u, "FRINTZ", "fp16")] // frintz v1.8h, v2.8h
    [InlineData(0x4ef9a841u, "FCVTPS", "fp16")] // fcvtps v1.8h, v2.8h
    [InlineData(0x4ef9b841u, "FCVTZS", "fp16")] // fcvtzs v1.8h, v2.8h
    [InlineData(0x4ef9d841u, "FRECPE", "fp16")] // frecpe v1.8h, v2.8h
    [InlineData(0x6e798841u, "FRINTA", "fp16")] // frinta v1.8h, v2.8h
    [InlineData(0x6e799841u, "FRINTX", "fp16")] // frintx v1.8h, v2.8h
    [InlineData(0x6e79a841u, "FCVTNU", "fp16")] // fcvtnu v1.8h, v2.8h
    [InlineData(0x6e79b841u, "FCVTMU", "fp16")] // fcvtmu v1.8h, v2.8h
    [InlineData(0x6e79c841u, "FCVTAU", "fp16")] // fcvtau v1.8h, v2.8h
    [InlineData(0x6e79d841u, "UCVTF", "fp16")] // ucvtf v1.8h, v2.8h
    [InlineData(0x6ef8c841u, "FCMGE", "fp16")] // fcmge v1.8h, v2.8h, #0.0
    [InlineData(0x6ef8d841u, "FCMLE", "fp16")] // fcmle v1.8h, v2.8h, #0.0
    [InlineData(0x6ef8f841u, "FNEG", "fp16")] // fneg v1.8h, v2.8h
    [InlineData(0x6ef99841u, "FRINTI", "fp16")] // frinti v1.8h, v2.8h
    [InlineData(0x6ef9a841u, "FCVTPU", "fp16")] // fcvtpu v1.8h, v2.8h
    [InlineData(0x6ef9b841u, "FCVTZU", "fp16")] // fcvtzu v1.8h, v2.8h
    [InlineData(0x6ef9d841u, "FRSQRTE", "fp16")] // frsqrte v1.8h, v2.8h
    [InlineData(0x6ef9f841u, "FSQRT", "fp16")] // fsqrt v1.8h, v2.8h
    [InlineData(0x5e79a841u, "FCVTNS", "fp16")] // fcvtns h1, h2
    [InlineData(0x5e79b841u, "FCVTMS", "fp16")] // fcvtms h1, h2
    [InlineData(0x5e79c841u, "FCVTAS", "fp16")] // fcvtas h1, h2
    [InlineData(0x5e79d841u, "SCVTF", "fp16")] // scvtf h1, h2
    [InlineData(0x5ef8c841u, "FCMGT", "fp16")] // fcmgt h1, h2, #0.0
    [InlineData(0x5ef8d841u, "FCMEQ", "fp16")] // fcmeq h1, h2, #0.0
    [InlineData(0x5ef8e841u, "FCMLT", "fp16")] // fcmlt h1, h2, #0.0
    [InlineData(0x5ef9a841u, "FCVTPS", "fp16")] // fcvtps h1, h2
    [InlineData(0x5ef9b841u, "FCVTZS", "fp16")] // fcvtzs h1, h2
    [InlineData(0x5ef9d841u, "FRECPE", "fp16")] // frecpe h1, h2
    [InlineData(0x5ef9f841u, "FRECPX", "fp16")] // frecpx h1, h2
    [InlineData(0x7e79a841u, "FCVTNU", "fp16")] // fcvtnu h1, h2
    [InlineData(0x7e79b841u, "FCVTMU", "fp16")] // fcvtmu h1, h2
    [InlineData(0x7e79c841u, "FCVTAU", "fp16")] // fcvtau h1, h2
    [InlineData(0x7e79d841u, "UCVTF", "fp16")] // ucvtf h1, h2
    [InlineData(0x7ef8c841u, "FCMGE", "fp16")] // fcmge h1, h2, #0.0
    [InlineData(0x7ef8d841u, "FCMLE", "fp16")] // fcmle h1, h2, #0.0
    [InlineData(0x7ef9a841u, "FCVTPU", "fp16")] // fcvtpu h1, h2
    [InlineData(0x7ef9b841u, "FCVTZU", "fp16")] // fcvtzu h1, h2
    [InlineData(0x7ef9d841u, "FRSQRTE", "fp16")] // frsqrte h1, h2
    [InlineData(0x4e30c841u, "FMAXNMV", "fp16")] // fmaxnmv h1, v2.8h
    [InlineData(0x0e30f841u, "FMAXV", "fp16")] // fmaxv h1, v2.4h
    [InlineData(0x4eb0c841u, "FMINNMV", "fp16")] // fminnmv h1, v2.8h
    [InlineData(0x4eb0f841u, "FMINV", "fp16")] // fminv h1, v2.8h
    [InlineData(0x5e30c841u, "FMAXNMP", "fp16")] // fmaxnmp h1, v2.2h
    [InlineData(0x5e30d841u, "FADDP", "fp16")] // faddp h1, v2.2h
    [InlineData(0x5e30f841u, "FMAXP", "fp16")] // fmaxp h1, v2.2h
    [InlineData(0x5eb0c841u, "FMINNMP", "fp16")] // fminnmp h1, v2.2h
    [InlineData(0x5eb0f841u, "FMINP", "fp16")] // fminp h1, v2.2h
    [InlineData(0x4f331841u, "FMLA", "fp16")] // fmla v1.8h, v2.8h, v3.h[7]
    [InlineData(0x0f1f5841u, "FMLS", "fp16")] // fmls v1.4h, v2.4h, v15.h[5]
    [InlineData(0x4f239041u, "FMUL", "fp16")] // fmul v1.8h, v2.8h, v3.h[2]
    [InlineData(0x6f139041u, "FMULX", "fp16")] // fmulx v1.8h, v2.8h, v3.h[1]
    [InlineData(0x5f331841u, "FMLA", "fp16")] // fmla h1, h2, v3.h[7]
    [InlineData(0x5f335041u, "FMLS", "fp16")] // fmls h1, h2, v3.h[3]
    [InlineData(0x5f039841u, "FMUL", "fp16")] // fmul h1, h2, v3.h[4]
    [InlineData(0x7f239841u, "FMULX", "fp16")] // fmulx h1, h2, v3.h[6]
    [InlineData(0x4f1de441u, "SCVTF", "fp16")] // scvtf v1.8h, v2.8h, #3
    [InlineData(0x2f10e441u, "UCVTF", "fp16")] // ucvtf v1.4h, v2.4h, #16
    [InlineData(0x4f1ffc41u, "FCVTZS", "fp16")] // fcvtzs v1.8h, v2.8h, #1
    [InlineData(0x6f17fc41u, "FCVTZU", "fp16")] // fcvtzu v1.8h, v2.8h, #9
    [InlineData(0x5f1de441u, "SCVTF", "fp16")] // scvtf h1, h2, #3
    [InlineData(0x7f10e441u, "UCVTF", "fp16")] // ucvtf h1, h2, #16
    [InlineData(0x5f1ffc41u, "FCVTZS", "fp16")] // fcvtzs h1, h2, #1
    [InlineData(0x7f17fc41u, "FCVTZU", "fp16")] // fcvtzu h1, h2, #9
    [InlineData(0x4f03fe01u, "FMOV", "fp16")] // fmov v1.8h, #1.000000000000000000e+00
    [InlineData(0x0f06fc01u, "FMOV", "fp16")] // fmov v1.4h, #-1.250000000000000000e-01
    [InlineData(0x4e23ec41u, "FMLAL", "fhm")] // fmlal v1.4s, v2.4h, v3.4h
    [InlineData(0x0ea3ec41u, "FMLSL", "fhm")] // fmlsl v1.2s, v2.2h, v3.2h
    [InlineData(0x6e23cc41u, "FMLAL2", "fhm")] // fmlal2 v1.4s, v2.4h, v3.4h
    [InlineData(0x6ea3cc41u, "FMLSL2", "fhm")] // fmlsl2 v1.4s, v2.4h, v3.4h
    [InlineData(0x4fb30841u, "FMLAL", "fhm")] // fmlal v1.4s, v2.4h, v3.h[7]
    [InlineData(0x0f934041u, "FMLSL", "fhm")] // fmlsl v1.2s, v2.2h, v3.h[1]
    [InlineData(0x6f938841u, "FMLAL2", "fhm")] // fmlal2 v1.4s, v2.4h, v3.h[5]
    [InlineData(0x6fafc041u, "FMLSL2", "fhm")] // fmlsl2 v1.4s, v2.4h, v15.h[2]
    [InlineData(0x4e21e841u, "FRINT32Z", "frintts")] // frint32z v1.4s, v2.4s
    [InlineData(0x6e61e841u, "FRINT32X", "frintts")] // frint32x v1.2d, v2.2d
    [InlineData(0x0e21f841u, "FRINT64Z", "frintts")] // frint64z v1.2s, v2.2s
    [InlineData(0x6e21f841u, "FRINT64X", "frintts")] // frint64x v1.4s, v2.4s
    [InlineData(0x1e634041u, "BFCVT", "bf16")] // bfcvt h1, s2
    [InlineData(0x0ea16841u, "BFCVTN", "bf16")] // bfcvtn v1.4h, v2.4s
    [InlineData(0x4ea16841u, "BFCVTN", "bf16")] // bfcvtn2 v1.8h, v2.4s
    [InlineData(0x6e43fc41u, "BFDOT", "bf16")] // bfdot v1.4s, v2.8h, v3.8h
    [InlineData(0x0f7ff841u, "BFDOT", "bf16")] // bfdot v1.2s, v2.4h, v31.2h[3]
    [InlineData(0x6e43ec41u, "BFMMLA", "bf16")] // bfmmla v1.4s, v2.8h, v3.8h
    [InlineData(0x2ec3fc41u, "BFMLAL", "bf16")] // bfmlalb v1.4s, v2.8h, v3.8h
    [InlineData(0x6ec3fc41u, "BFMLAL", "bf16")] // bfmlalt v1.4s, v2.8h, v3.8h
    [InlineData(0x0ff3f841u, "BFMLAL", "bf16")] // bfmlalb v1.4s, v2.8h, v3.h[7]
    [InlineData(0x4feff041u, "BFMLAL", "bf16")] // bfmlalt v1.4s, v2.8h, v15.h[2]
    public void DecodesToTheInstructionInItsGroup(uint word, string mnemonic, string group)
    {
        var encoding = Arm64Decoder.Instance.Decode(word);
        Assert.NotNull(encoding);
        Assert.StartsWith(mnemonic + "_", encoding!.Name + "_");
        Assert.Equal(group, encoding.Group);
    }
}
