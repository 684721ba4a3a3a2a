/* Float matrix multiply that gcc vectorizes (FMLA/FMUL/FADD on 4S); prints a checksum and a few elements. */
#pragma GCC optimize("O3")
#include <stdio.h>
#include <stdlib.h>

#define N 96

static float a[N][N], b[N][N], c[N][N];

static void multiply(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) c[i][j] = 0.0f;
        for (int k = 0; k < N; k++) {
            float aik = a[i][k];
            for (int j = 0; j < N; j++) c[i][j] += aik * b[k][j];
        }
    }
}

/* argv[1]: number of multiplications (default 4; bench/compare.sh runs more). */
int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 4;
    unsigned seed = 12345;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            seed = seed * 1103515245u + 12345u;
            a[i][j] = (float)((seed >> 8) & 0xffff) / 65536.0f - 0.5f;
            seed = seed * 1103515245u + 12345u;
            b[i][j] = (float)((seed >> 8) & 0xffff) / 32768.0f - 1.0f;
        }
    double sum = 0.0;
    for (int rep = 0; rep < reps; rep++) {
        multiply();
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) sum += c[i][j] * (float)(1 + ((i + j + rep) & 3));
    }
    printf("checksum %.6e\n", sum);
    printf("c[0][0] %.6e c[5][7] %.6e c[%d][%d] %.6e\n", c[0][0], c[5][7], N - 1, N - 1, c[N - 1][N - 1]);
    return 0;
}
