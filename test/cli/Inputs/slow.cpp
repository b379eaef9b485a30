// Keeps the compiler busy in constant evaluation, for the --timeout test.
constexpr long spin() {
  long x = 0;
  for (long i = 0; i < 4000000000L; ++i)
    x += i % 7;
  return x;
}
constexpr long Value = spin();
