"""Generate seeded SuiteCRM data into a SQLite file the sandbox can serve.

    python scripts/generate_data.py --out data/sandbox.db --touchpoints 1000000
    suitejourney sandbox --db data/sandbox.db

Rows are streamed into the file in batches, so a million touchpoints need no
more memory than a thousand. The same seed gives the same file contents.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector.sandbox.catalog import build_catalog
from connector.sandbox.generator import DEFAULT_ANCHOR, GeneratorConfig, generate
from connector.sandbox.store import Store

# Measured: one account's journey (with its share of B2C contacts and stalled
# leads) averages about 22 touchpoint rows.
TOUCHPOINTS_PER_ACCOUNT = 22


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="SQLite file to create")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--accounts", type=int, help="accounts to generate (default 1,000)")
    size.add_argument("--touchpoints", type=int, help="about this many touchpoint rows")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--odd-share", type=float, default=0.05, help="share of odd activities")
    parser.add_argument("--anchor", default=DEFAULT_ANCHOR, help="when the generated history ends")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    args = parser.parse_args()

    if args.out.exists():
        if not args.force:
            print(f"{args.out} exists; pass --force to replace it.", file=sys.stderr)
            return 2
        args.out.unlink()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    accounts = args.accounts or 1000
    if args.touchpoints:
        accounts = max(1, math.ceil(args.touchpoints / TOUCHPOINTS_PER_ACCOUNT))

    store = Store(build_catalog(), str(args.out))
    store.create_schema()
    started = time.perf_counter()
    stats = generate(
        store,
        GeneratorConfig(
            accounts=accounts, seed=args.seed, odd_share=args.odd_share, anchor=args.anchor
        ),
    )
    elapsed = time.perf_counter() - started
    store.close()
    print(
        f"{args.out}: {accounts:,} accounts, {stats.touchpoints:,} touchpoints, "
        f"{sum(stats.rows.values()):,} rows in {elapsed:.1f} s "
        f"({stats.touchpoints / elapsed:,.0f} touchpoints/s)"
    )
    for table, count in sorted(stats.rows.items()):
        print(f"  {table:<24} {count:>10,}")
    print(f"  odd records: {dict(stats.odd)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
