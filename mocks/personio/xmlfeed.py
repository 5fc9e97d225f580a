"""The career site's public XML feed: `<workzag-jobs>` with one `<position>` per published job position
(personio-recruiting-api.yaml of personio/api-docs@2f3707f, schemas XmlResponse / JobPosting)."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from mocks.core.store import Row, World

from . import dates
from . import domain as m


def _cdata(text: str) -> str:
    return "<![CDATA[ " + text.replace("]]>", "]]]]><![CDATA[>") + " ]]>"


def _name(world: World, collection: str, key: object) -> str:
    row = world[collection].get(key) if isinstance(key, int) else None
    return row["name"] if row else (key if isinstance(key, str) else "")


def position(world: World, row: Row, language: str) -> str:
    descriptions: list[Any] = (
        row["descriptions"].get(language)
        or row["descriptions"].get("en")
        or next(iter(row["descriptions"].values()), [])
    )
    parts = [
        "  <position>",
        f"    <id>{row['id']}</id>",
        f"    <subcompany>{escape(row['subcompany'] or '')}</subcompany>",
        f"    <office>{escape(_name(world, m.OFFICES, row['office']))}</office>",
        f"    <department>{escape(_name(world, m.DEPARTMENTS, row['department']))}</department>",
        f"    <recruitingCategory>{escape(row['recruiting_category'])}</recruitingCategory>",
        f"    <name>{escape(row['name'])}</name>",
        "    <jobDescriptions>",
    ]
    for item in descriptions:
        parts += [
            "      <jobDescription>",
            f"        <name>{escape(item['name'])}</name>",
            f"        <value>{_cdata(item['value'])}</value>",
            "      </jobDescription>",
        ]
    parts += [
        "    </jobDescriptions>",
        f"    <employmentType>{row['employment_type']}</employmentType>",
        f"    <seniority>{row['seniority']}</seniority>",
        f"    <schedule>{row['schedule']}</schedule>",
        f"    <yearsOfExperience>{row['years_of_experience']}</yearsOfExperience>",
        f"    <keywords>{escape(row['keywords'])}</keywords>",
        f"    <occupation>{row['occupation']}</occupation>",
        f"    <occupationCategory>{row['occupation_category']}</occupationCategory>",
        f"    <createdAt>{dates.compact_datetime(row['created_at'])}</createdAt>",
        "  </position>",
    ]
    return "\n".join(parts)


def feed(world: World, language: str) -> str:
    published = sorted(
        (p for p in world[m.JOB_POSITIONS].values() if p["status"] == "published"), key=lambda p: p["id"]
    )
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if not published:
        return head + "<workzag-jobs></workzag-jobs>\n"
    return (
        head + "<workzag-jobs>\n" + "\n".join(position(world, p, language) for p in published) + "\n</workzag-jobs>\n"
    )
