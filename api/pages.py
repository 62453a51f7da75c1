"""HTML pages for people. [stub: being implemented]"""
from fastapi import APIRouter

router = APIRouter()
