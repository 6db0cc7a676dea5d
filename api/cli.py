"""Administration commands. Admins are created here, never through POST /register.

python -m api.cli create-admin --email admin@example.com --username admin   (password from ADMIN_PASSWORD or prompt)
python -m api.cli create-organisation --name "Acme"   (then POST /organisations/{id}/invitations)
"""

import argparse
import getpass
import os
import sys

from fastapi import HTTPException
from pydantic import ValidationError
from sqlmodel import Session

from api.schemas import UserCreate
from api.services.organisations import create_organisation as add_organisation
from api.services.users import DuplicateUser, create_user
from api.settings import get_api_settings
from core.db import get_engine
from core.tables import Role


def create_admin(email: str, username: str, password: str, full_name: str | None) -> int:
    settings = get_api_settings()
    if len(password) < settings.min_password_length:
        print(f"The password needs at least {settings.min_password_length} characters.", file=sys.stderr)
        return 2
    try:
        user_in = UserCreate(email=email, username=username, password=password, full_name=full_name)
    except ValidationError as error:
        print(f"Invalid input: {error}", file=sys.stderr)
        return 2
    with Session(get_engine(settings.database_url)) as session:
        try:
            user = create_user(session=session, user_in=user_in, role=Role.admin)
        except DuplicateUser as duplicate:
            print(str(duplicate), file=sys.stderr)
            return 1
    print(f"admin {user.username} created (id {user.id})")
    return 0


def create_organisation(name: str) -> int:
    name = name.strip()
    if not name or len(name) > 200:
        print("The name needs 1 to 200 characters.", file=sys.stderr)
        return 2
    with Session(get_engine(get_api_settings().database_url)) as session:
        try:
            organisation = add_organisation(session=session, name=name)
        except HTTPException as refused:
            print(refused.detail, file=sys.stderr)
            return 1
    print(f"organisation {organisation.name} created (id {organisation.id})")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m api.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser("create-admin", help="create an admin user")
    admin.add_argument("--email", required=True)
    admin.add_argument("--username", required=True)
    admin.add_argument("--full-name")
    organisation = commands.add_parser("create-organisation", help="create an organisation (a tenant)")
    organisation.add_argument("--name", required=True)
    args = parser.parse_args()
    if args.command == "create-organisation":
        return create_organisation(args.name)
    password = os.environ.get("ADMIN_PASSWORD") or getpass.getpass("Password: ")
    return create_admin(args.email, args.username, password, args.full_name)


if __name__ == "__main__":
    sys.exit(main())
