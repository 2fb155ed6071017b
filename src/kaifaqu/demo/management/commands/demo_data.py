"""``kaifaqu demo-data``: build the synthetic demo province (see ``kaifaqu.demo.generator``)."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from kaifaqu.audit.context import write_context
from kaifaqu.core.cli import acting_user_from, add_as_argument
from kaifaqu.demo.evaluations import publish_national_ranking, queue_demo_evaluations
from kaifaqu.demo.generator import DEFAULT_ENTERPRISES, DEFAULT_SEED, DemoDataExists, generate
from kaifaqu.demo.national import generate_national
from kaifaqu.demo.workbooks import write_demo_workbooks


class Command(BaseCommand):
    help = (
        "生成确定性的合成演示省份(示范省,合成数据):"
        "行政区划、开发区、企业及五年统计数据,并创建演示账号。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="随机种子(默认 %(default)s)"
        )
        parser.add_argument(
            "--enterprises",
            type=int,
            default=DEFAULT_ENTERPRISES,
            help="企业数量(默认 %(default)s;基准测试可用 1000000)",
        )
        parser.add_argument("--reset", action="store_true", help="先删除已有的演示省份数据")
        parser.add_argument(
            "--no-national",
            action="store_true",
            help="不生成全国国家级经开区合成数据(约230个,仅年度指标,供商务部方案分东中西排名)",
        )
        parser.add_argument(
            "--evaluations",
            action="store_true",
            help="再由演示分析员复制亩均与考核预置方案并提交首批评价(由后台任务计算);"
            "并按商务部方案当即完成全国国家级经开区最新年度考核,发布其排名",
        )
        parser.add_argument(
            "--xlsx",
            type=Path,
            metavar="DIR",
            help="把数据库中的演示省份写成四个已填好的导入模板(xlsx),供试用数据导入",
        )
        add_as_argument(parser)

    def handle(self, *args: Any, seed: int, enterprises: int, reset: bool, **options: Any) -> None:
        if options["xlsx"] is not None:
            for path in write_demo_workbooks(options["xlsx"], acting_user_from(options)):
                self.stdout.write(str(path))
            return
        if enterprises < 1:
            raise CommandError("--enterprises 至少为 1", returncode=2)
        if seed < 0:
            raise CommandError("--seed 不能为负数", returncode=2)
        acting_user = acting_user_from(options)
        try:
            with write_context(channel="cli"):
                generate(
                    seed=seed,
                    enterprises=enterprises,
                    reset=reset,
                    stdout=self.stdout,
                    stderr=self.stderr,
                    acting_user=acting_user,
                )
                if not options["no_national"]:
                    counts = generate_national(seed=seed, acting_user=acting_user)
                    self.stdout.write(f"全国国家级经开区(合成):{counts['zones']} 个,年度指标 "
                                      f"{counts['zone_years']:,} 条")  # fmt: skip
                if options["evaluations"]:
                    analyst = get_user_model().objects.get(username="analyst")
                    for queued in queue_demo_evaluations(analyst):
                        self.stdout.write(f"已提交:{queued}")
                    if not options["no_national"]:
                        self.stdout.write(f"已完成:{publish_national_ranking(acting_user)}")
        except (DemoDataExists, PermissionDenied) as refused:
            raise CommandError(str(refused)) from refused
