"""PERSCOM's Eloquent models as the API sees them (APP1 `app/Models/*`, `app/Http/Requests/Api/*`, the V1
controllers' Orion whitelists; SPEC1 `components.schemas`). Source names: docs/vendors/perscom.md.

One `Model` per table: its columns in database order (Eloquent's `toArray()` order), which are hidden, the
appended attributes, the Laravel validation rules of its API request class, the whitelists of its Orion
controller (includes, filterable/sortable/searchable fields), its relations, its policy scope and its
webhook event. Everything else (routes, spec, handlers, serializers) is derived from this table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # id | int | str | text | bool | datetime | json | float
    nullable: bool = True
    hidden: bool = False  # in $hidden: never on the wire
    since_v2: bool = False  # a column of the v2 era: on the v2 wire only (v1 never showed it)


@dataclass(frozen=True)
class Relation:
    """An Eloquent relation, enough to resolve includes and nested routes.

    kind: belongs_to (fk on this row) | has_many / has_one (fk on the target) | morph_many / morph_one
    (target.model_type/model_id point here) | many (pivot table)."""

    kind: str
    target: str  # Model name
    fk: str = ""  # belongs_to: our column; has_*: the target's column
    where: tuple[tuple[str, Any], ...] = ()  # extra constraints on the target (has_many)
    pivot: str = ""  # many: pivot table (a collection)
    parent_key: str = ""  # many: pivot column holding this row's id
    related_key: str = ""  # many: pivot column holding the target's id
    morph: tuple[str, str] | None = None  # many: (pivot type column, this model's class)
    pivot_columns: tuple[str, ...] = ()  # many: extra pivot columns (withPivot), in order
    timestamps: bool = False  # many: withTimestamps()
    accessor: str = "pivot"  # many: ->as('...')
    pivot_fillable: tuple[str, ...] = ()  # many: what attach/sync/toggle/pivot may set


def belongs_to(target: str, fk: str) -> Relation:
    return Relation("belongs_to", target, fk=fk)


def has_many(target: str, fk: str, **where: Any) -> Relation:
    return Relation("has_many", target, fk=fk, where=tuple(where.items()))


def morph_many(target: str) -> Relation:
    return Relation("morph_many", target)


def morph_one(target: str) -> Relation:
    return Relation("morph_one", target)


def many(target: str, pivot: str, parent_key: str, related_key: str, **options: Any) -> Relation:
    return Relation("many", target, pivot=pivot, parent_key=parent_key, related_key=related_key, **options)


@dataclass
class Model:
    name: str  # Eloquent class basename
    table: str  # collection name
    scope: str  # policy resource: view:<scope> ...; "" for special policies
    columns: list[Column]
    rules: dict[str, str] = field(default_factory=dict)  # commonRules
    store_rules: dict[str, str] = field(default_factory=dict)  # storeRules (merged over rules)
    nested_optional: dict[str, str] = field(default_factory=dict)  # store rule dropped under this route param
    relations: dict[str, Relation] = field(default_factory=dict)
    includes: list[str] = field(default_factory=list)  # Orion includes() whitelist
    appends: list[str] = field(default_factory=list)  # $appends (computed in models.py)
    event: str | None = None  # webhook event prefix (DOC1 webhooks.md; APP1 app/Observers/*)
    soft_deletes: bool = True
    search_fields: list[str] | None = None  # default: every visible column
    filter_fields: list[str] | None = None  # filterableBy = sortableBy (default below)
    v2_rules: dict[str, str] = field(default_factory=dict)  # v2 request class: commonRules merged over
    v2_store_rules: dict[str, str] = field(default_factory=dict)  # v2 request class: storeRules merged over

    @property
    def class_name(self) -> str:
        return f"App\\Models\\{self.name}"

    @property
    def visible(self) -> list[Column]:
        return [c for c in self.columns if not c.hidden and not c.since_v2]

    def visible_in(self, version: str) -> list[Column]:
        return [c for c in self.columns if not c.hidden and (version != "v1" or not c.since_v2)]

    def rules_in(self, version: str) -> dict[str, str]:
        return {**self.rules, **self.v2_rules} if version != "v1" else self.rules

    @property
    def column_map(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    def filterable(self) -> list[str]:
        """Orion filterableBy/sortableBy: the visible columns plus `relation.*` of every belongsTo (SPEC1)."""
        if self.filter_fields is not None:
            return self.filter_fields
        fields = [c.name for c in self.visible if c.name != "deleted_at" or self.name == "User"]
        return fields + [f"{name}.*" for name, rel in self.relations.items() if rel.kind == "belongs_to"]

    def searchable(self) -> list[str]:
        if self.search_fields is not None:
            return self.search_fields
        return [c.name for c in self.visible if c.name != "deleted_at"]

    def store_rules_for(self, parent_param: str | None, version: str = "v1") -> dict[str, str]:
        """commonRules merged with storeRules the way PHP's array_merge does (keys keep their first place)."""
        store = {
            k: v
            for k, v in self.store_rules.items()
            if self.nested_optional.get(k) != parent_param or parent_param is None
        }
        merged = dict(self.rules_in(version))
        merged.update(store)
        if version != "v1":
            merged.update({k: v for k, v in self.v2_store_rules.items() if k in store})
        return merged


def _cols(spec: str) -> list[Column]:
    """`name:kind` (nullable), `name:kind!` (not null), `name:kind-` (hidden), `name:kind+` (v2 only)."""
    columns = []
    for item in spec.split():
        name, kind = item.split(":")
        hidden = kind.endswith("-")
        since_v2 = kind.endswith("+")
        required = kind.endswith("!")
        kind = kind.rstrip("-!+")
        columns.append(Column(name, kind, nullable=not required and kind != "id", hidden=hidden, since_v2=since_v2))
    return columns


TIMESTAMPS = "created_at:datetime updated_at:datetime deleted_at:datetime"
AUTHORED = "document_id:int author_id:int"
RECORD_INCLUDES = ["author", "author.*", "document", "user", "user.*"]
DATES = {"updated_at": "date", "created_at": "date"}


def _record(
    name: str,
    table: str,
    scope: str,
    extra_cols: str,
    rules: dict[str, str],
    store: dict[str, str],
    relations: dict[str, Relation],
    includes: list[str],
    v2_rules: dict[str, str] | None = None,
    v2_store_rules: dict[str, str] | None = None,
) -> Model:
    return Model(
        name=name,
        table=table,
        scope=scope,
        event=scope,
        columns=_cols(f"id:id user_id:int {extra_cols} {TIMESTAMPS}"),
        rules={"user_id": "integer|exists:users,id", **rules, **DATES},
        store_rules={"user_id": "required|integer|exists:users,id", **store},
        nested_optional={"user_id": "user"},
        relations={
            "user": belongs_to("User", "user_id"),
            "author": belongs_to("User", "author_id"),
            "document": belongs_to("Document", "document_id"),
            **relations,
        },
        includes=RECORD_INCLUDES + includes,
        v2_rules=v2_rules or {},
        v2_store_rules=v2_store_rules or {},
    )


MODELS: dict[str, Model] = {}


def _add(model: Model) -> None:
    MODELS[model.name] = model


_add(
    Model(
        name="User",
        table="users",
        scope="user",
        event="user",
        columns=_cols(
            "id:id name:str! email:str! email_verified_at:datetime password:str- remember_token:str- "
            "position_id:int rank_id:int specialty_id:int status_id:int unit_id:int approved:bool! "
            "notes:text- notes_updated_at:datetime- profile_photo:str cover_photo:str last_seen_at:datetime "
            "phone_number:str+ discord_user_id:str+ last_assignment_change_date:datetime+ "
            f"last_rank_change_date:datetime+ {TIMESTAMPS}"
        ),
        rules={
            "name": "string",
            "email": "email|unique:users,email",
            "email_verified_at": "nullable|date",
            "position_id": "nullable|integer|exists:positions,id",
            "rank_id": "nullable|integer|exists:ranks,id",
            "specialty_id": "nullable|integer|exists:specialties,id",
            "status_id": "nullable|integer|exists:statuses,id",
            "unit_id": "nullable|integer|exists:units,id",
            "approved": "boolean",
            "notes": "nullable|string",
            "notes_updated_at": "nullable|date",
            "profile_photo": "nullable|string",
            "cover_photo": "nullable|string",
            "last_seen_at": "nullable|date",
            **DATES,
        },
        store_rules={"name": "required|string", "email": "required|email|unique:users,email"},
        relations={
            "assignment_records": has_many("AssignmentRecord", "user_id"),
            "primary_assignment_records": has_many("AssignmentRecord", "user_id", type="primary"),
            "secondary_assignment_records": has_many("AssignmentRecord", "user_id", type="secondary"),
            "award_records": has_many("AwardRecord", "user_id"),
            "combat_records": has_many("CombatRecord", "user_id"),
            "qualification_records": has_many("QualificationRecord", "user_id"),
            "rank_records": has_many("RankRecord", "user_id"),
            "service_records": has_many("ServiceRecord", "user_id"),
            "position": belongs_to("Position", "position_id"),
            "rank": belongs_to("Rank", "rank_id"),
            "specialty": belongs_to("Specialty", "specialty_id"),
            "status": belongs_to("Status", "status_id"),
            "unit": belongs_to("Unit", "unit_id"),
            "fields": many(
                "Field",
                "model_has_fields",
                "model_id",
                "field_id",
                morph=("model_type", "App\\Models\\User"),
                timestamps=True,
            ),
            "status_records": many(
                "Status",
                "model_has_statuses",
                "model_id",
                "status_id",
                morph=("model_type", "App\\Models\\User"),
                pivot_columns=("text",),
                timestamps=True,
                accessor="record",
                pivot_fillable=("text",),
            ),
            "attachments": many(
                "Attachment",
                "model_has_attachments",
                "model_id",
                "attachment_id",
                morph=("model_type", "App\\Models\\User"),
                timestamps=True,
            ),  # v2
            "training_records": has_many("TrainingRecord", "user_id"),  # v2
            "tasks": many(
                "Task",
                "task_assignments",
                "user_id",
                "task_id",
                pivot_columns=("id", "assigned_by_id", "assigned_at", "due_at", "completed_at", "expires_at"),
                timestamps=True,
                accessor="assignment",
                pivot_fillable=("assigned_by_id", "assigned_at", "due_at", "completed_at", "expires_at"),
            ),
        },
        includes=[
            "assignment_records",
            "assignment_records.*",
            "award_records",
            "award_records.*",
            "award_records.award.*",
            "combat_records",
            "combat_records.*",
            "fields",
            "position",
            "primary_assignment_records",
            "primary_assignment_records.*",
            "qualification_records",
            "qualification_records.*",
            "rank",
            "rank.*",
            "rank_records",
            "rank_records.*",
            "rank_records.rank.*",
            "secondary_assignment_records",
            "secondary_assignment_records.*",
            "service_records",
            "service_records.*",
            "specialty",
            "status",
            "unit",
        ],
        appends=["online", "url", "relative_url", "profile_photo_url", "cover_photo_url"],
        v2_rules={"phone_number": "nullable|string"},
        search_fields=[
            "id",
            "name",
            "email",
            "email_verified_at",
            "position_id",
            "rank_id",
            "specialty_id",
            "status_id",
            "unit_id",
            "approved",
            "profile_photo",
            "cover_photo",
            "last_seen_at",
            "updated_at",
            "created_at",
        ],
    )
)

_NAMED = {"name": "string", "description": "nullable|string", "order": "integer", **DATES}

_add(
    Model(
        name="Rank",
        table="ranks",
        scope="rank",
        columns=_cols(f"id:id name:str! description:text abbreviation:str paygrade:str order:int! {TIMESTAMPS}"),
        rules={
            "name": "string",
            "description": "nullable|string",
            "abbreviation": "nullable|string",
            "paygrade": "nullable|string",
            "order": "integer",
            **DATES,
        },
        store_rules={"name": "required|string"},
        relations={"image": morph_one("Image")},
        includes=["image"],
    )
)
for _name, _table, _scope in (("Award", "awards", "award"), ("Qualification", "qualifications", "qualification")):
    _add(
        Model(
            name=_name,
            table=_table,
            scope=_scope,
            columns=_cols(f"id:id name:str! description:text order:int! {TIMESTAMPS}"),
            rules=dict(_NAMED),
            store_rules={"name": "required|string"},
            relations={"image": morph_one("Image")},
            includes=["image"],
        )
    )
_add(
    Model(
        name="Position",
        table="positions",
        scope="position",
        columns=_cols(f"id:id name:str! description:text order:int! {TIMESTAMPS}"),
        rules=dict(_NAMED),
        store_rules={"name": "required|string"},
        relations={
            "assignment_records": has_many("AssignmentRecord", "position_id"),
            "users": has_many("User", "position_id"),
        },
        includes=["assignment_records", "assignment_records.*", "users"],
    )
)
_add(
    Model(
        name="Specialty",
        table="specialties",
        scope="specialty",
        columns=_cols(f"id:id name:str! abbreviation:str description:text order:int! {TIMESTAMPS}"),
        rules={
            "name": "string",
            "abbreviation": "nullable|string",
            "description": "nullable|string",
            "order": "integer",
            **DATES,
        },
        store_rules={"name": "required|string"},
        relations={
            "assignment_records": has_many("AssignmentRecord", "specialty_id"),
            "users": has_many("User", "specialty_id"),
        },
        includes=["assignment_records", "assignment_records.*", "users"],
    )
)
_add(
    Model(
        name="Unit",
        table="units",
        scope="unit",
        columns=_cols(f"id:id name:str! description:text order:int! hidden:bool! {TIMESTAMPS}"),
        rules={"name": "string", "description": "nullable|string", "order": "integer", "hidden": "boolean", **DATES},
        store_rules={"name": "required|string"},
        relations={
            "assignment_records": has_many("AssignmentRecord", "unit_id"),
            "users": has_many("User", "unit_id"),
            "groups": many("Group", "group_unit", "unit_id", "group_id"),
            "image": morph_one("Image"),
        },
        includes=["assignment_records", "assignment_records.*", "groups", "users"],
    )
)
_add(
    Model(
        name="Group",
        table="groups",
        scope="group",
        columns=_cols(f"id:id name:str! description:text order:int! hidden:bool! {TIMESTAMPS}"),
        rules={"name": "string", "description": "nullable|string", "order": "integer", "hidden": "boolean", **DATES},
        store_rules={"name": "required|string"},
        relations={"units": many("Unit", "group_unit", "group_id", "unit_id"), "image": morph_one("Image")},
        includes=["units", "units.*", "units.users", "units.users.*"],
    )
)
_add(
    Model(
        name="Status",
        table="statuses",
        scope="status",
        columns=_cols(f"id:id name:str! text_color:str! bg_color:str! {TIMESTAMPS}"),
        rules={"name": "string", "text_color": "hex_color", "bg_color": "hex_color", **DATES},
        store_rules={"name": "required|string", "text_color": "required|hex_color", "bg_color": "required|hex_color"},
        relations={
            "users": has_many("User", "status_id"),
            "submissions": many(
                "Submission",
                "model_has_statuses",
                "status_id",
                "model_id",
                morph=("model_type", "App\\Models\\Submission"),
                pivot_columns=("text",),
                timestamps=True,
                accessor="record",
            ),
        },
        includes=["submissions", "users"],
    )
)
_add(
    Model(
        name="Announcement",
        table="announcements",
        scope="announcement",
        columns=_cols(f"id:id title:str! content:text! color:str! expires_at:datetime {TIMESTAMPS}"),
        rules={
            "title": "string|max:255",
            "content": "string|max:65535",
            "color": "in:info,success,warning,danger",
            "expires_at": "nullable|date",
            **DATES,
        },
        store_rules={
            "title": "required|string|max:255",
            "content": "required|string|max:65535",
            "color": "required|in:info,success,warning,danger",
        },
    )
)
_add(
    Model(
        name="Calendar",
        table="calendars",
        scope="calendar",
        event="calendar",
        columns=_cols(f"id:id name:str! description:text color:str {TIMESTAMPS}"),
        rules={"name": "string", "description": "nullable|string", "color": "nullable|string", **DATES},
        store_rules={"name": "required|string"},
        relations={
            "events": has_many("Event", "calendar_id"),
            "tags": many("Tag", "taggables", "taggable_id", "tag_id", morph=("taggable_type", "App\\Models\\Calendar")),
        },
        includes=["events", "events.author", "tags"],
    )
)
_add(
    Model(
        name="Event",
        table="events",
        scope="event",
        event="event",
        columns=_cols(
            "id:id name:str! calendar_id:int description:text content:text location:str url:str author_id:int "
            "all_day:bool! start:datetime! end:datetime repeats:bool! frequency:str interval:int! end_type:str "
            "count:int until:datetime by_day:json by_month:json by_month_day:json by_set_position:json "
            "by_year_day:json rrule:str registration_enabled:bool! registration_deadline:datetime "
            f"{TIMESTAMPS}"
        ),
        rules={
            "name": "string",
            "calendar_id": "integer|exists:calendars,id",
            "description": "nullable|string",
            "content": "nullable|string",
            "location": "nullable|string",
            "url": "nullable|string",
            "author_id": "nullable|integer|exists:users,id",
            "all_day": "boolean",
            "start": "date",
            "end": "date|after:start",
            "registration_enabled": "boolean",
            "registration_deadline": "nullable|date",
            **DATES,
        },
        store_rules={
            "calendar_id": "required|integer|exists:calendars,id",
            "name": "required|string",
            "start": "required|date",
            "end": "required|date|after:start",
            "all_day": "required|boolean",
        },
        nested_optional={"calendar_id": "calendar"},
        relations={
            "author": belongs_to("User", "author_id"),
            "calendar": belongs_to("Calendar", "calendar_id"),
            "images": morph_many("Image"),
            "image": morph_many("Image"),  # v2 names the hasMany `image`
            "tags": many("Tag", "taggables", "taggable_id", "tag_id", morph=("taggable_type", "App\\Models\\Event")),
        },
        includes=["author", "calendar", "tags"],
        appends=["is_past", "computed_end", "next_occurrence"],
    )
)
_add(
    Model(
        name="Form",
        table="forms",
        scope="form",
        columns=_cols(
            "id:id name:str! slug:str! success_message:text is_public:bool! description:text instructions:text "
            f"submission_status_id:int {TIMESTAMPS}"
        ),
        rules={
            "name": "string",
            "slug": "string",
            "success_message": "nullable|string",
            "is_public": "boolean",
            "description": "nullable|string",
            "instructions": "nullable|string",
            "submission_status_id": "nullable|integer|exists:statuses,id",
            **DATES,
        },
        store_rules={"name": "required|string", "slug": "required|string"},
        relations={
            "submission_status": belongs_to("Status", "submission_status_id"),  # SPEC1 filters submission_status.*
            "submissions": has_many("Submission", "form_id"),
            "fields": many(
                "Field",
                "model_has_fields",
                "model_id",
                "field_id",
                morph=("model_type", "App\\Models\\Form"),
                timestamps=True,
            ),
            "tags": many("Tag", "taggables", "taggable_id", "tag_id", morph=("taggable_type", "App\\Models\\Form")),
        },
        includes=["fields", "submissions", "submissions.*", "tags"],
        appends=["url"],
    )
)
_add(
    Model(
        name="Submission",
        table="submissions",
        scope="submission",
        event="submission",
        columns=_cols(f"id:id form_id:int! user_id:int data:json- {TIMESTAMPS}"),
        rules={"form_id": "integer|exists:forms,id", "user_id": "nullable|integer|exists:users,id", **DATES},
        store_rules={"form_id": "required|integer|exists:forms,id"},
        nested_optional={"form_id": "form"},
        relations={
            "form": belongs_to("Form", "form_id"),
            "user": belongs_to("User", "user_id"),
            "statuses": many(
                "Status",
                "model_has_statuses",
                "model_id",
                "status_id",
                morph=("model_type", "App\\Models\\Submission"),
                pivot_columns=("text",),
                timestamps=True,
                accessor="record",
                pivot_fillable=("text",),
            ),
        },
        includes=["form", "form.*", "user", "user.*", "statuses", "statuses.record"],
    )
)
_add(
    Model(
        name="Task",
        table="tasks",
        scope="task",
        columns=_cols(f"id:id title:str! description:text instructions:text form_id:int {TIMESTAMPS}"),
        rules={
            "title": "string|max:255",
            "description": "nullable|string|max:65535",
            "instructions": "nullable|string|max:65535",
            "form_id": "nullable|integer|exists:forms,id",
            **DATES,
        },
        store_rules={"title": "required|string|max:255"},
        relations={
            "form": belongs_to("Form", "form_id"),
            "users": many(
                "User",
                "task_assignments",
                "task_id",
                "user_id",
                pivot_columns=("id", "assigned_by_id", "assigned_at", "due_at", "completed_at", "expires_at"),
                timestamps=True,
                accessor="assignment",
            ),
        },
        includes=["form", "users"],
    )
)
_add(
    Model(
        name="Document",
        table="documents",
        scope="document",
        columns=_cols(f"id:id name:str! description:text content:text! author_id:int {TIMESTAMPS}"),
        rules={
            "name": "string|max:255",
            "description": "nullable|string|max:65535",
            "content": "string|max:65535",
            "author_id": "nullable|integer|exists:users,id",
            **DATES,
        },
        store_rules={"name": "required|string|max:255", "content": "required|string|max:65535"},
        relations={"author": belongs_to("User", "author_id")},
        includes=["author"],
        # SPEC1's filterableBy/sortableBy/searchableBy: no author_id, no author.* (the include is APP1's)
        filter_fields=["id", "name", "description", "content", "created_at", "updated_at"],
        search_fields=["id", "name", "description", "content", "created_at", "updated_at"],
    )
)


def _category_relation(target: str) -> Relation:
    return many(
        target,
        "model_has_categories",
        "category_id",
        "model_id",
        morph=("model_type", f"App\\Models\\{target}"),
        timestamps=True,
    )


_add(
    Model(
        name="Category",
        table="categories",
        scope="category",
        columns=_cols(f"id:id name:str! description:text resource:str! {TIMESTAMPS}"),
        rules={"name": "string", "description": "nullable|string", "resource": "string", **DATES},
        store_rules={"name": "required|string", "resource": "required|string"},
        relations={
            "awards": _category_relation("Award"),
            "documents": _category_relation("Document"),
            "forms": _category_relation("Form"),
            "qualifications": _category_relation("Qualification"),
            "ranks": _category_relation("Rank"),
        },
        includes=["awards", "documents", "forms", "qualifications", "ranks"],
    )
)
_add(
    Model(
        name="Newsfeed",
        table="newsfeed",
        scope="",  # NewsfeedPolicy: manage:newsfeed for every ability
        columns=_cols(
            "id:id log_name:str description:text! subject_type:str event:str subject_id:int causer_type:str "
            "causer_id:str properties:json batch_uuid:str created_at:datetime updated_at:datetime"
        ),
        rules={
            "log_name": "nullable|string",
            "description": "string",
            "subject_type": "nullable|string",
            "event": "nullable|string",
            "subject_id": "nullable|integer",
            "causer_type": "nullable|string",
            "causer_id": "nullable|integer",
            "properties": "nullable|array",
            **DATES,
        },
        store_rules={"description": "required|string"},
        relations={
            "causer": belongs_to("User", "causer_id"),
            "likes": many(
                "User", "likes", "model_id", "user_id", morph=("model_type", "App\\Models\\Newsfeed"), timestamps=True
            ),
        },
        includes=["causer", "subject"],
        soft_deletes=False,
    )
)
_add(
    Model(
        name="Image",
        table="images",
        scope="image",
        columns=_cols(
            f"id:id name:str! description:text filename:str! path:str! model_type:str! model_id:int! {TIMESTAMPS}"
        ),
        rules={
            "name": "string|max:255",
            "description": "nullable|string|max:65535",
            "filename": "string|max:255",
            "model_type": "string|max:255",
            "model_id": "integer",
            "path": "string|max:255",
            **DATES,
        },
        store_rules={"name": "required|string|max:255", "image": "required|image"},
        appends=["image_url"],
    )
)
_add(
    Model(
        name="Field",
        table="fields",
        scope="field",
        columns=_cols(
            "id:id name:str! key:str! type:str! nova_type:str cast:str description:text placeholder:text "
            "default:str help:text required:bool! rules:str readonly:bool! options:json hidden:bool! "
            f"{TIMESTAMPS}"
        ),
        rules={
            "name": "string|max:255",
            "key": "string|unique:fields,key|max:255",
            "type": "in:text,textarea,email,number,boolean,date,datetime-local,select,country,timezone,code",
            "cast": "nullable|string|max:255",
            "description": "nullable|string|max:65535",
            "placeholder": "nullable|string|max:65535",
            "default": "nullable|string|max:255",
            "help": "nullable|string|max:65535",
            "required": "boolean",
            "rules": "nullable|string|max:255",
            "readonly": "boolean",
            "hidden": "boolean",
            **DATES,
        },
        store_rules={
            "name": "required|string|max:255",
            "key": "required|string|unique:fields,key|max:255",
            "type": "required|in:text,textarea,email,number,boolean,date,datetime-local,select,country,timezone,code",
        },
    )
)
_add(
    Model(
        name="Tag",
        table="tags",
        scope="",
        columns=_cols(f"id:id name:str! {TIMESTAMPS}"),
    )
)

_add(
    _record(
        "AssignmentRecord",
        "assignment_records",
        "assignmentrecord",
        "status_id:int unit_id:int position_id:int specialty_id:int document_id:int author_id:int type:str! text:text",
        {
            "status_id": "nullable|integer|exists:statuses,id",
            "unit_id": "nullable|integer|exists:units,id",
            "position_id": "nullable|integer|exists:positions,id",
            "specialty_id": "nullable|integer|exists:specialties,id",
            "document_id": "nullable|integer|exists:documents,id",
            "author_id": "nullable|integer|exists:users,id",
            "type": "in:primary,secondary",
            "text": "nullable|string",
        },
        {},
        {
            "status": belongs_to("Status", "status_id"),
            "unit": belongs_to("Unit", "unit_id"),
            "position": belongs_to("Position", "position_id"),
            "specialty": belongs_to("Specialty", "specialty_id"),
        },
        ["position", "specialty", "status", "unit"],
    )
)
_add(
    _record(
        "RankRecord",
        "rank_records",
        "rankrecord",
        f"rank_id:int! {AUTHORED} text:text type:int!",
        {
            "rank_id": "integer|exists:ranks,id",
            "document_id": "nullable|integer|exists:documents,id",
            "author_id": "nullable|integer|exists:users,id",
            "text": "nullable|string|max:65535",
            "type": "enum:0,1",
        },
        {"rank_id": "required|integer|exists:ranks,id", "type": "required|enum:0,1"},
        {"rank": belongs_to("Rank", "rank_id")},
        ["rank", "rank.image"],
        # SPEC2 RankRecord.type: 0 Promotion, 1 Demotion, 2 Lateral, 3 Transfer
        v2_rules={"type": "enum:0,1,2,3"},
        v2_store_rules={"type": "required|enum:0,1,2,3"},
    )
)
_add(
    _record(
        "AwardRecord",
        "award_records",
        "awardrecord",
        f"award_id:int! {AUTHORED} text:text",
        {
            "award_id": "integer|exists:awards,id",
            "document_id": "nullable|integer|exists:documents,id",
            "author_id": "nullable|integer|exists:users,id",
            "text": "nullable|string",
        },
        {"award_id": "required|integer|exists:awards,id"},
        {"award": belongs_to("Award", "award_id")},
        ["award", "award.image"],
    )
)
_add(
    _record(
        "QualificationRecord",
        "qualification_records",
        "qualificationrecord",
        f"qualification_id:int! {AUTHORED} text:text",
        {
            "qualification_id": "integer|exists:qualifications,id",
            "document_id": "nullable|integer|exists:documents,id",
            "author_id": "nullable|integer|exists:users,id",
            "text": "nullable|string",
        },
        {"qualification_id": "required|integer|exists:qualifications,id"},
        {"qualification": belongs_to("Qualification", "qualification_id")},
        ["qualification", "qualification.image"],
    )
)
for _name, _table, _scope in (
    ("ServiceRecord", "service_records", "servicerecord"),
    ("CombatRecord", "combat_records", "combatrecord"),
):
    _add(
        _record(
            _name,
            _table,
            _scope,
            f"{AUTHORED} text:text!",
            {
                "document_id": "nullable|integer|exists:documents,id",
                "author_id": "nullable|integer|exists:users,id",
                "text": "string",
            },
            {"text": "required|string"},
            {},
            [],
        )
    )

# -- resources of the v2 era (SPEC2 `components.schemas`; APPH routes/api.php). Columns follow
# SPEC2's schemas where it has one; Competency, Credential, Issuer, Slot and TrainingRecord are not in SPEC2
# and their columns are INFERRED from APPH's models (names, descriptions, foreign keys, order).
_add(
    Model(
        name="Attachment",
        table="attachments",
        scope="attachment",
        columns=_cols(f"id:id name:str! filename:str! model_type:str model_id:int path:str! {TIMESTAMPS}"),
        rules={
            "name": "string|max:255",
            "model_type": "nullable|string|max:255",
            "model_id": "nullable|integer",
            **DATES,
        },
        store_rules={"name": "required|string|max:255", "file": "required|file"},
        appends=["attachment_url"],
    )
)
_add(
    Model(
        name="Comment",
        table="comments",
        scope="comment",
        columns=_cols(f"id:id author_id:int! model_type:str model_id:int comment:text! {TIMESTAMPS}"),
        rules={
            "author_id": "integer|exists:users,id",
            "model_type": "nullable|string|max:255",
            "model_id": "nullable|integer",
            "comment": "string|max:65535",
            **DATES,
        },
        store_rules={"author_id": "required|integer|exists:users,id", "comment": "required|string|max:65535"},
        relations={"author": belongs_to("User", "author_id")},
        includes=["author"],
    )
)
_add(
    Model(
        name="Issuer",
        table="issuers",
        scope="issuer",
        columns=_cols(f"id:id name:str! {TIMESTAMPS}"),
        rules={"name": "string|max:255", **DATES},
        store_rules={"name": "required|string|max:255"},
        relations={"credentials": has_many("Credential", "issuer_id")},
        includes=["credentials"],
    )
)
_add(
    Model(
        name="Credential",
        table="credentials",
        scope="credential",
        columns=_cols(f"id:id name:str! description:text type:str! issuer_id:int order:int! {TIMESTAMPS}"),
        rules={
            "name": "string|max:255",
            "description": "nullable|string|max:65535",
            "type": "in:certification,license",
            "issuer_id": "integer|exists:issuers,id",
            "order": "integer",
            **DATES,
        },
        store_rules={
            "name": "required|string|max:255",
            "type": "required|in:certification,license",
            "issuer_id": "required|integer|exists:issuers,id",
        },
        relations={"issuer": belongs_to("Issuer", "issuer_id")},
        includes=["issuer"],
    )
)
_add(
    Model(
        name="Competency",
        table="competencies",
        scope="competency",
        columns=_cols(f"id:id name:str! description:text order:int! {TIMESTAMPS}"),
        rules=dict(_NAMED),
        store_rules={"name": "required|string"},
    )
)
_add(
    Model(
        name="Message",
        table="messages",
        scope="message",
        event="message",
        columns=_cols(
            f"id:id message:text! channels:json! recipients:json repeats:bool! send_at:datetime "
            f"sent_at:datetime {TIMESTAMPS}"
        ),
        rules={
            "message": "string|max:65535",
            "channels": "array",
            "recipients": "nullable|array",
            "repeats": "boolean",
            "send_at": "nullable|date",
            "sent_at": "nullable|date",
            **DATES,
        },
        store_rules={"message": "required|string|max:65535", "channels": "required|array"},
    )
)
_add(
    Model(
        name="Slot",
        table="slots",
        scope="slot",
        columns=_cols(
            f"id:id name:str! description:text position_id:int specialty_id:int hidden:bool! order:int! {TIMESTAMPS}"
        ),
        rules={
            "name": "string|max:255",
            "description": "nullable|string",
            "position_id": "nullable|integer|exists:positions,id",
            "specialty_id": "nullable|integer|exists:specialties,id",
            "hidden": "boolean",
            "order": "integer",
            **DATES,
        },
        store_rules={"name": "required|string|max:255"},
        relations={
            "position": belongs_to("Position", "position_id"),
            "specialty": belongs_to("Specialty", "specialty_id"),
        },
        includes=["position", "specialty"],
    )
)
_add(
    _record(
        "TrainingRecord",
        "training_records",
        "trainingrecord",
        f"instructor_id:int event_id:int {AUTHORED} text:text",
        {
            "instructor_id": "nullable|integer|exists:users,id",
            "event_id": "nullable|integer|exists:events,id",
            "document_id": "nullable|integer|exists:documents,id",
            "author_id": "nullable|integer|exists:users,id",
            "text": "nullable|string|max:65535",
        },
        {},
        {
            "instructor": belongs_to("User", "instructor_id"),
            "event": belongs_to("Event", "event_id"),
            "competencies": many(
                "Competency", "training_record_competencies", "training_record_id", "competency_id", timestamps=True
            ),
            "credentials": many(
                "Credential", "training_record_credentials", "training_record_id", "credential_id", timestamps=True
            ),
        },
        ["competencies", "credentials", "event", "instructor"],
    )
)
_add(
    Model(
        name="Setting",
        table="settings",
        scope="settings",
        soft_deletes=False,
        columns=_cols("id:id group:str name:str! payload:json locked:bool! created_at:datetime updated_at:datetime"),
    )
)

# The records' own user_id is optional in the table (a dissociated record keeps living).
RECORDS = (
    "AssignmentRecord",
    "AwardRecord",
    "CombatRecord",
    "QualificationRecord",
    "RankRecord",
    "ServiceRecord",
    "TrainingRecord",
)

# Tables referenced by `exists:` and `unique:` rules.
TABLES: dict[str, Model] = {m.table: m for m in MODELS.values()}


def model(name: str) -> Model:
    return MODELS[name]
