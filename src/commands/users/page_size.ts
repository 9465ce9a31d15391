/**
 * Users asked for per page. Measured (bench/RESULTS.md): pages of 1000 let peak RSS grow by 13-17 MiB from
 * 10,000 to 100,000 users, as the runtime's collector trails ~180 KB bodies; pages of 250 keep the growth to
 * ~5 MiB and still list 100,000 users in about a fifth of the time of a curl loop.
 */
export const PAGE_SIZE: number = 250;
